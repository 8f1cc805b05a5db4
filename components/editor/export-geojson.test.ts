import { describe, expect, it } from 'vitest';
import { exportFileName, toFeatureCollection } from './export-geojson';
import { areaCandidates, lineCandidates, parseGeoFile } from './import-file';

const noXml = () => {
  throw new Error('no XML here');
};

describe('export as GeoJSON, and back', () => {
  const fences = [
    {
      id: 'f1',
      geometry: { type: 'Polygon', coordinates: [[[13.4, 52.5], [13.5, 52.5], [13.5, 52.6], [13.4, 52.5]]] },
      properties: { name: 'Apron 🛫', type: 'RESTRICTED_ZONE', severity: 'critical', alertOnEntry: true, alertOnExit: false, dwellSeconds: 30, areaM2: 1234 },
    },
    { id: 'f2', geometry: { type: 'Point', coordinates: [13.4, 52.5] }, properties: { name: 'Depot', type: 'DEPOT', radius: 250 } },
  ];

  it('fences: an exported file imports as the same fences, properties and all (derived figures left to the server)', () => {
    const file = JSON.stringify(toFeatureCollection(fences));
    const { candidates, skipped } = areaCandidates(parseGeoFile('geofences.geojson', file, noXml), 'geofences.geojson');
    expect(skipped).toBe(0);
    expect(candidates).toEqual([
      {
        name: 'Apron 🛫',
        geometry: fences[0]!.geometry,
        properties: { type: 'RESTRICTED_ZONE', severity: 'critical', alertOnEntry: true, alertOnExit: false, dwellSeconds: 30 },
      },
      { name: 'Depot', geometry: fences[1]!.geometry, radius: 250, properties: { type: 'DEPOT' } },
    ]);
  });

  it('routes: lines with their names', () => {
    const routes = [{ id: 'r1', geometry: { type: 'LineString', coordinates: [[13.4, 52.5], [13.5, 52.5]] }, properties: { name: 'Harbor loop', color: '#f00' } }];
    const { candidates } = lineCandidates(parseGeoFile('routes.geojson', JSON.stringify(toFeatureCollection(routes)), noXml), 'routes.geojson');
    expect(candidates.map((c) => [c.name, c.coordinates])).toEqual([['Harbor loop', [[13.4, 52.5], [13.5, 52.5]]]]);
  });

  it('names the file by what and when', () => {
    expect(exportFileName('geofences', new Date('2026-12-07T10:00:00Z'))).toBe('geofences-2026-12-07.geojson');
  });
});
