import * as maplibregl from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawCircleMode,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawRectangleMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import { BERLIN, createBasemap } from '@/components/map/create-basemap';
import type { LngLat } from './geometry';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export type DrawTool = 'polygon' | 'rectangle' | 'circle' | 'linestring';
/** The shape being drawn or edited: its terra-draw mode tells a circle from a polygon. */
export interface Draft {
  mode: DrawTool;
  geometry: Geometry;
  /** Still being drawn (not finished yet). */
  drawing: boolean;
}

const VERTEX_EDITING = { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } };

/**
 * The editors' map: MapLibre with the offline basemap, a layer of the saved shapes (read-only,
 * clickable), a dashed preview layer for imports, a marker where the server found a problem, and
 * terra-draw for the ONE shape being drawn or edited (drag vertices, add midpoints, right-click
 * deletes a vertex, drag the shape to move it). Without `editable`, terra-draw is not started.
 */
export class EditorMap {
  readonly map: maplibregl.Map;
  readonly ready: Promise<void>;
  private draw: TerraDraw | null = null;
  private errorMarker: maplibregl.Marker | null = null;
  private hiddenId = '';
  private selectedId = '';

  constructor(
    container: HTMLElement,
    private readonly options: { basemap: BasemapSettings; editable: boolean; onDraftChange: (draft: Draft | null) => void; onSavedClick: (id: string) => void },
  ) {
    this.map = createBasemap({ container, basemap: options.basemap, center: BERLIN, zoom: 11, scale: true });
    this.map.doubleClickZoom.disable();
    this.ready = new Promise((resolve) => this.map.once('load', () => resolve()));
    void this.ready.then(() => this.setUp());
  }

  private setUp(): void {
    const map = this.map;
    map.addSource('saved', { type: 'geojson', data: EMPTY, promoteId: 'id' });
    map.addSource('preview', { type: 'geojson', data: EMPTY });
    const color: maplibregl.ExpressionSpecification = ['coalesce', ['get', 'color'], '#475569'];
    const visible: maplibregl.FilterSpecification = ['!=', ['get', 'id'], ['literal', '']];
    map.addLayer({ id: 'saved-fill', type: 'fill', source: 'saved', filter: ['all', visible, ['==', ['geometry-type'], 'Polygon']], paint: { 'fill-color': color, 'fill-opacity': 0.15 } });
    map.addLayer({
      id: 'saved-line',
      type: 'line',
      source: 'saved',
      filter: visible,
      paint: {
        'line-color': ['case', ['boolean', ['feature-state', 'selected'], false], '#059669', color],
        'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 4, ['==', ['geometry-type'], 'LineString'], 3, 1.5],
      },
    });
    map.addLayer({ id: 'preview-fill', type: 'fill', source: 'preview', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#f97316', 'fill-opacity': 0.2 } });
    map.addLayer({ id: 'preview-line', type: 'line', source: 'preview', paint: { 'line-color': '#ea580c', 'line-width': 3, 'line-dasharray': [2, 1] } });
    for (const layer of ['saved-fill', 'saved-line']) {
      map.on('click', layer, (event) => {
        if (this.draw && this.draw.getMode() !== 'select') return;
        const id = event.features?.[0]?.properties?.id;
        if (typeof id === 'string') this.options.onSavedClick(id);
      });
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
    if (this.options.editable) this.startDraw();
  }

  private startDraw(): void {
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.map }),
      modes: [
        new TerraDrawPolygonMode({ styles: { fillColor: '#2563eb', outlineColor: '#1d4ed8', fillOpacity: 0.2 } }),
        new TerraDrawRectangleMode({ styles: { fillColor: '#2563eb', outlineColor: '#1d4ed8', fillOpacity: 0.2 } }),
        new TerraDrawCircleMode({ styles: { fillColor: '#2563eb', outlineColor: '#1d4ed8', fillOpacity: 0.2 } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: '#1d4ed8', lineStringWidth: 4 } }),
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          flags: {
            polygon: { feature: VERTEX_EDITING },
            linestring: { feature: VERTEX_EDITING },
            rectangle: { feature: { draggable: true, coordinates: { draggable: true, resizable: 'opposite' } } },
            circle: { feature: { draggable: true, coordinates: { resizable: 'center-fixed' } } },
          },
        }),
      ],
    });
    draw.start();
    draw.setMode('select');
    draw.on('change', () => this.emitDraft());
    draw.on('finish', (id, context) => {
      // A finished shape is edited right away: vertices and the shape become draggable.
      if (context.action === 'draw') {
        draw.setMode('select');
        draw.selectFeature(id);
      }
      this.emitDraft();
    });
    this.draw = draw;
  }

  private emitDraft(): void {
    this.options.onDraftChange(this.draft());
  }

  /** The shape being drawn or edited, if any. */
  draft(): Draft | null {
    const feature = this.draw?.getSnapshot().find((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'LineString');
    if (!feature) return null;
    return { mode: feature.properties.mode as DrawTool, geometry: feature.geometry as Geometry, drawing: Boolean(feature.properties.currentlyDrawing) };
  }

  /** Starts drawing a new shape (the previous draft is dropped). */
  startDrawing(tool: DrawTool): void {
    if (!this.draw) return;
    this.draw.clear();
    this.draw.setMode(tool);
    this.emitDraft();
  }

  /** Puts a shape into terra-draw for editing, selected (vertices shown). */
  edit(mode: DrawTool, geometry: Geometry, properties: Record<string, number> = {}): void {
    if (!this.draw) return;
    this.draw.clear();
    this.draw.setMode('select');
    const id = this.draw.getFeatureId();
    const [result] = this.draw.addFeatures([{ id, type: 'Feature', geometry, properties: { mode, ...properties } } as GeoJSONStoreFeatures]);
    if (result?.valid) this.draw.selectFeature(id);
    this.emitDraft();
  }

  clearDraft(): void {
    if (!this.draw) return;
    this.draw.clear();
    this.draw.setMode('select');
    this.emitDraft();
  }

  /** The saved shapes (features with `properties.id` and `properties.color`). */
  setSaved(collection: FeatureCollection): void {
    void this.ready.then(() => {
      (this.map.getSource('saved') as maplibregl.GeoJSONSource).setData(collection);
      this.applySelection();
    });
  }

  /** Highlights one saved shape; `hide` leaves it out while terra-draw shows its editable copy. */
  select(id: string | null, hide = false): void {
    void this.ready.then(() => {
      if (this.selectedId) this.map.setFeatureState({ source: 'saved', id: this.selectedId }, { selected: false });
      this.selectedId = id ?? '';
      this.hiddenId = hide ? (id ?? '') : '';
      this.applySelection();
    });
  }

  private applySelection(): void {
    const hidden: maplibregl.FilterSpecification = ['!=', ['get', 'id'], ['literal', this.hiddenId]];
    this.map.setFilter('saved-line', hidden);
    this.map.setFilter('saved-fill', ['all', hidden, ['==', ['geometry-type'], 'Polygon']]);
    if (this.selectedId) this.map.setFeatureState({ source: 'saved', id: this.selectedId }, { selected: true });
  }

  /** Import preview (dashed orange), or none. */
  setPreview(features: Feature[] | null): void {
    void this.ready.then(() => (this.map.getSource('preview') as maplibregl.GeoJSONSource).setData({ type: 'FeatureCollection', features: features ?? [] }));
  }

  /** A red marker where the server located a problem, or none. */
  showErrorAt(location: LngLat | null): void {
    this.errorMarker?.remove();
    this.errorMarker = null;
    if (!location) return;
    const element = document.createElement('div');
    element.dataset.testid = 'error-vertex';
    element.title = 'The server found the problem here';
    element.className = 'h-5 w-5 rounded-full border-[3px] border-white bg-red-600 shadow-lg ring-4 ring-red-600/30';
    this.errorMarker = new maplibregl.Marker({ element }).setLngLat(location).addTo(this.map);
  }

  /** Whether the map was zoomed to a shape (then it does not move to the home area). */
  fitted = false;

  /** Zooms to the given positions. */
  fitTo(positions: readonly LngLat[]): void {
    if (positions.length === 0) return;
    this.fitted = true;
    const bounds = new maplibregl.LngLatBounds(positions[0], positions[0]);
    for (const p of positions) bounds.extend(p);
    void this.ready.then(() => this.map.fitBounds(bounds, { padding: 80, maxZoom: 16, duration: 300 }));
  }

  destroy(): void {
    this.errorMarker?.remove();
    if (this.draw?.enabled) this.draw.stop();
    this.map.remove();
  }
}

/** Every position of a geometry, for fitting the view. */
export function positionsOf(geometry: Geometry): LngLat[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates as LngLat];
    case 'LineString':
    case 'MultiPoint':
      return geometry.coordinates as LngLat[];
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates.flat() as LngLat[];
    case 'MultiPolygon':
      return geometry.coordinates.flat(2) as LngLat[];
    default:
      return [];
  }
}
