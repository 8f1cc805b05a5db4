import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodeTile, toParts } from './mvt-encode';

describe('MVT encoding', () => {
  it('writes layers in the given order with their features, types and properties', () => {
    const bytes = encodeTile(
      [
        { layer: 'places', geometry: { type: 'Point', coordinates: [100, 200] }, properties: { kind: 'suburb', name: 'Fells Point' } },
        { layer: 'roads', geometry: { type: 'LineString', coordinates: [[0, 0], [4096, 4096]] }, properties: { class: 'primary', name: 'Pratt Street' } },
        {
          layer: 'water',
          // clockwise on screen (y down)
          geometry: { type: 'Polygon', coordinates: [[[10, 10], [110, 10], [110, 110], [10, 110], [10, 10]]] },
          properties: { kind: 'harbour' },
        },
      ],
      ['water', 'roads', 'places'],
    );
    const tile = new VectorTile(new PbfReader(bytes));
    expect(Object.keys(tile.layers)).toEqual(['water', 'roads', 'places']);
    const road = tile.layers.roads!.feature(0);
    expect(road.type).toBe(2);
    expect(road.properties).toEqual({ class: 'primary', name: 'Pratt Street' });
    expect(road.loadGeometry()[0]!.map((p) => [p.x, p.y])).toEqual([[0, 0], [4096, 4096]]);
    const water = tile.layers.water!.feature(0);
    expect(water.type).toBe(3);
    expect(water.toGeoJSON(0, 0, 0).geometry.type).toBe('Polygon'); // an exterior ring, not a hole
    expect(tile.layers.places!.feature(0).loadGeometry()[0]![0]).toMatchObject({ x: 100, y: 200 });
    expect(tile.layers.places!.extent).toBe(4096);
  });

  it('an empty tile is zero bytes', () => {
    expect(encodeTile([], ['roads']).byteLength).toBe(0);
  });

  it('drops pieces that collapsed at this zoom', () => {
    expect(toParts({ type: 'LineString', coordinates: [[5, 5]] })).toEqual([]);
    expect(toParts({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] })).toEqual([]);
    expect(
      toParts({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'LineString', coordinates: [[0, 0], [1, 1]] }] }).map((p) => p.type),
    ).toEqual([1, 2]);
  });
});
