import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import { areaCandidates, lineCandidates, parseGeoFile } from './import-file';

const noXml = () => {
  throw new Error('XML parser must not be used for JSON');
};

describe('import: GeoJSON files', () => {
  it('accepts a FeatureCollection, a Feature or a bare geometry', () => {
    const line = { type: 'LineString', coordinates: [[13.4, 52.5], [13.5, 52.5]] };
    expect(parseGeoFile('a.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: line, properties: {} }] }), noXml)).toHaveLength(1);
    expect(parseGeoFile('a.json', JSON.stringify({ type: 'Feature', geometry: line, properties: { name: 'x' } }), noXml)[0]!.properties).toEqual({ name: 'x' });
    expect(parseGeoFile('a.geojson', JSON.stringify(line), noXml)[0]!.geometry).toEqual(line);
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(() => parseGeoFile('broken.geojson', '{"type": ', noXml)).toThrow('broken.geojson is not valid JSON');
    expect(() => parseGeoFile('other.json', '{"hello": 1}', noXml)).toThrow('holds no GeoJSON Feature');
  });
});

const feature = (geometry: Feature['geometry'], properties: Record<string, unknown> = {}): Feature => ({ type: 'Feature', geometry, properties });

describe('import: what becomes a fence or a route', () => {
  const features = [
    feature({ type: 'Polygon', coordinates: [[[13.4, 52.5, 30], [13.5, 52.5, 30], [13.5, 52.6, 30], [13.4, 52.5, 30]]] }, { name: ' Depot ' }),
    feature({ type: 'Point', coordinates: [13.4, 52.5] }, { radius: 300 }),
    feature({ type: 'Point', coordinates: [13.4, 52.5] }),
    feature({ type: 'MultiLineString', coordinates: [[[13.4, 52.5], [13.5, 52.5]], [[13.6, 52.5], [13.7, 52.5]]] }, { name: 'Track', desc: 'morning run' }),
    feature({ type: 'LineString', coordinates: [[13.4, 52.5, 10], [13.5, 52.5, 12]] }),
  ];

  it('takes polygons and radius points as fences, drops altitudes, names the unnamed after the file', () => {
    const { candidates, skipped } = areaCandidates(features, 'zones.geojson');
    expect(skipped).toBe(3);
    expect(candidates).toEqual([
      { name: 'Depot', properties: {}, geometry: { type: 'Polygon', coordinates: [[[13.4, 52.5], [13.5, 52.5], [13.5, 52.6], [13.4, 52.5]]] } },
      { name: 'zones 2', properties: {}, geometry: { type: 'Point', coordinates: [13.4, 52.5] }, radius: 300 },
    ]);
  });

  it('takes lines as routes, one per track segment, keeping the source and description', () => {
    const { candidates, skipped } = lineCandidates(features, 'day.gpx');
    expect(skipped).toBe(3);
    expect(candidates.map((c) => c.name)).toEqual(['Track (part 1)', 'Track (part 2)', 'day 5']);
    expect(candidates[0]!.attributes).toEqual({ source: 'day.gpx', description: 'morning run' });
    expect(candidates[2]!.coordinates).toEqual([[13.4, 52.5], [13.5, 52.5]]);
  });
});
