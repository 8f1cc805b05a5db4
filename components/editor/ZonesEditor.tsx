'use client';

import type { Geometry } from 'geojson';
import type { LoginResponse } from '@/server/protocol/auth';
import type { GeofenceDto } from '@/server/protocol/geofences';
import { QUERY_KEYS, useGeofences, useVehicles } from '@/components/ui/list-queries';
import type { Draft, DrawTool } from './editor-map';
import { positionsOf } from './editor-map';
import { EditorPanel, ItemList } from './EditorPanel';
import { GeofenceForm } from './GeofenceForm';
import { errorSummary, FENCE_KIND_LABEL, fieldOfError, propertiesOf, valuesOf, type FormValues } from './geofence-fields';
import { circleFromRing, circleRing, formatArea, formatLength, type LngLat } from './geometry';
import { areaCandidates, type AreaCandidate } from './import-file';
import { FENCE_TYPE_LABEL } from '@/server/protocol/alert-rules';
import { buttonClass, Notice } from './ui';
import { useEditorSession, type EditorKind } from './use-editor-session';

const TYPE_COLORS: Record<string, string> = {
  DEPOT: '#2563eb',
  CHECKPOINT: '#7c3aed',
  RESTRICTED_ZONE: '#dc2626',
  SERVICE_AREA: '#059669',
  CUSTOM: '#475569',
};

const TOOLS: Array<{ tool: DrawTool; label: string }> = [
  { tool: 'polygon', label: 'Polygon' },
  { tool: 'rectangle', label: 'Rectangle' },
  { tool: 'circle', label: 'Circle' },
];

const DRAW_HINT: Record<DrawTool, string> = {
  polygon: 'Click to add corners; click the first corner (or press Enter) to finish. Esc cancels.',
  rectangle: 'Click one corner, then the opposite corner.',
  circle: 'Click the center, then click again at the edge.',
  linestring: 'Click to add points; click the last point again (or press Enter) to finish.',
};

/** A fence's shape for the map: circles as rings (the API keeps center + radius). */
function displayGeometry(fence: { geometry: GeofenceDto['geometry']; radius?: number }): Geometry {
  return fence.geometry.type === 'Point' ? { type: 'Polygon', coordinates: [circleRing(fence.geometry.coordinates, fence.radius ?? 0)] } : fence.geometry;
}

const FENCES: EditorKind<GeofenceDto, FormValues, AreaCandidate> = {
  noun: 'fence',
  path: '/api/v1/geofences',
  itemKey: 'geofence',
  queryKey: QUERY_KEYS.geofences,
  valuesOf,
  savedFeature: (f) => ({
    type: 'Feature',
    geometry: displayGeometry({ geometry: f.geometry, radius: f.properties.radius }),
    properties: { id: f.id, color: TYPE_COLORS[f.properties.type] ?? '#475569' },
  }),
  showOnMap(map, fence, editable) {
    const shape = fence.geometry;
    const canEditShape = editable && shape.type !== 'MultiPolygon';
    map.select(fence.id, canEditShape);
    if (canEditShape && shape.type === 'Point') {
      map.edit('circle', displayGeometry({ geometry: shape, radius: fence.properties.radius }), { radiusKilometers: (fence.properties.radius ?? 0) / 1000 });
    } else if (canEditShape) map.edit('polygon', shape);
    else map.clearDraft();
    map.fitTo(positionsOf(displayGeometry({ geometry: shape, radius: fence.properties.radius })));
  },
  formFieldOf(field) {
    const key = fieldOfError(field);
    return key && key !== 'radius' ? key : null;
  },
  importCandidates: areaCandidates,
  importNothing: 'polygons or circles',
  previewFeature: (c) => ({ type: 'Feature', geometry: displayGeometry(c), properties: {} }),
  importBody: (c) => ({ type: 'Feature', geometry: c.geometry, properties: { ...c.properties, name: c.name, ...(c.radius ? { radius: c.radius } : {}) } }),
};

/** The geometry to send: the draft (a circle as center + radius), or the stored one. */
function geometryToSend(draft: Draft | null, selected: GeofenceDto | null): { geometry: unknown; radius?: number } | null {
  if (draft && !draft.drawing && draft.geometry.type === 'Polygon') {
    if (draft.mode === 'circle') {
      const { center, radiusM } = circleFromRing(draft.geometry.coordinates[0] as LngLat[]);
      return { geometry: { type: 'Point', coordinates: center }, radius: radiusM };
    }
    return { geometry: draft.geometry };
  }
  if (selected) return { geometry: selected.geometry, radius: selected.properties.radius };
  return null;
}

const shapeDetail = (c: AreaCandidate) =>
  c.geometry.type === 'Point' ? `circle, radius ${formatLength(c.radius ?? 0)}` : c.geometry.type === 'Polygon' ? `polygon, ${c.geometry.coordinates[0]!.length - 1} corners` : `multipolygon, ${c.geometry.coordinates.length} parts`;

/** The geofence editor: list, map with drawing tools, properties form, file import. */
export function ZonesEditor({ session }: { session: LoginResponse }) {
  const editable = session.user.role === 'admin';
  const fences = useGeofences();
  const vehicles = useVehicles();
  const editor = useEditorSession(FENCES, fences.data, editable);
  const { draft, tool, selected, creating, values, saving } = editor;

  async function save() {
    editor.resetMessages();
    const { properties, errors: local } = propertiesOf(values);
    if (Object.keys(local).length > 0) {
      editor.setErrors(local);
      return editor.setProblem(errorSummary(local));
    }
    const shape = geometryToSend(draft, selected);
    if (!shape) return editor.setProblem('Draw the shape on the map first.');
    const body = { type: 'Feature', geometry: shape.geometry, properties: { ...properties, ...(shape.radius !== undefined ? { radius: shape.radius } : {}) } };
    await editor.save(() => editor.putItem(body));
  }

  const shapeNote = selected?.geometry.type === 'MultiPolygon' && editable ? 'A multipolygon’s shape cannot be edited here; its properties can.' : null;
  const circle = draft?.mode === 'circle' && draft.geometry.type === 'Polygon' && !draft.drawing ? circleFromRing(draft.geometry.coordinates[0] as LngLat[]) : null;

  return (
    <EditorPanel
      exportItems={fences.data}
      exportName="geofences"
      session={editor}
      role={session.user.role}
      words={{ title: 'Geofences', item: 'geofence', importNoun: 'fence', importLabel: 'Import file…' }}
      count={fences.data?.length}
      tools={TOOLS.map((t) => (
        <button key={t.tool} type="button" className={buttonClass.tool} disabled={!editor.map} aria-pressed={tool === t.tool && (!draft || draft.drawing)} onClick={() => editor.startDrawing(t.tool)}>
          {t.label}
        </button>
      ))}
      hint={tool && (!draft || draft.drawing) ? DRAW_HINT[tool] : null}
      previewItems={(preview) => preview.candidates.map((c) => ({ name: c.name, detail: shapeDetail(c) }))}
      canSave={!(creating && (!draft || draft.drawing))}
      onSave={() => void save()}
      details={
        <>
          <dl className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-2 text-xs text-slate-600">
            <dt>Shape</dt>
            <dd data-testid="fence-shape">
              {circle
                ? `circle, radius ${formatLength(circle.radiusM)}`
                : draft && !draft.drawing
                  ? draft.mode === 'rectangle' ? 'rectangle' : 'polygon'
                  : selected
                    ? selected.geometry.type === 'Point' ? `circle, radius ${formatLength(selected.properties.radius ?? 0)}` : selected.geometry.type.toLowerCase()
                    : 'not drawn yet'}
            </dd>
            {selected && (
              <>
                <dt>Area (PostGIS)</dt>
                <dd>{formatArea(selected.properties.areaM2)}</dd>
              </>
            )}
          </dl>
          {selected && session.user.role !== 'driver' && (
            <div className="flex flex-col gap-1">
              <a href={`/reports?report=geofence-visits&geofenceIds=${selected.id}`} className="text-xs font-medium text-emerald-700 hover:underline" data-testid="fence-visits-link">
                Visits to this fence (last 7 days) →
              </a>
              <a href={`/reports?report=geofence-events&geofenceIds=${selected.id}`} className="text-xs font-medium text-emerald-700 hover:underline" data-testid="fence-events-link">
                Entries and exits at this fence (last 7 days) →
              </a>
            </div>
          )}
          {shapeNote && <Notice tone="info">{shapeNote}</Notice>}
          {editable && !creating && <p className="text-xs text-slate-500">Drag the corners to reshape, the middle markers to add a corner, the shape to move it.</p>}
          <GeofenceForm values={values} onChange={editor.setValues} errors={editor.errors} disabled={!editable || saving} vehicles={vehicles.data ?? []} />
        </>
      }
      list={
        <ItemList state={fences} plural="geofences" empty={`No geofences yet.${editable ? ' Draw one with the tools above, or import a GeoJSON, KML or GPX file.' : ''}`} testId="fence-list">
          {(f) => (
            <button type="button" onClick={() => editor.openItem(f)} className="flex w-full items-center gap-3 rounded px-2 py-2 text-left hover:bg-slate-50" data-testid="fence-item">
              <span className="h-3 w-3 shrink-0 rounded-sm" style={{ background: TYPE_COLORS[f.properties.type] ?? '#475569' }} aria-hidden />
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium text-slate-800">{f.properties.name}</span>
                <span className="block text-xs text-slate-500">
                  {FENCE_TYPE_LABEL[f.properties.type]} · {FENCE_KIND_LABEL[f.properties.kind] ?? f.properties.kind} · {f.geometry.type === 'Point' ? `circle r ${formatLength(f.properties.radius ?? 0)}` : formatArea(f.properties.areaM2)}
                </span>
              </span>
            </button>
          )}
        </ItemList>
      }
    />
  );
}
