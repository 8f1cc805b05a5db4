import { describe, expect, it } from 'vitest';
import type { GeofenceDto } from '@/server/protocol/geofences';
import { compileFences, fencesAt } from './current-fences';

const props = (name: string, radius?: number) => ({ name, type: 'DEPOT', kind: 'static', radius, alertOnEntry: true, alertOnExit: true, severity: 'medium', hysteresisMeters: 0, dwellSeconds: 0, maxAccuracyMeters: 100, areaM2: 1, createdAt: '', updatedAt: '' }) as GeofenceDto['properties'];
const square: GeofenceDto = { type: 'Feature', id: 'sq', geometry: { type: 'Polygon', coordinates: [[[13, 52], [13.1, 52], [13.1, 52.1], [13, 52.1], [13, 52]]] }, properties: props('Yard') };
const circle: GeofenceDto = { type: 'Feature', id: 'c', geometry: { type: 'Point', coordinates: [13.05, 52.05] }, properties: props('Airport', 1000) };
const broken: GeofenceDto = { type: 'Feature', id: 'x', geometry: { type: 'Polygon', coordinates: [[[13, 52]]] }, properties: props('Broken') };

describe('fencesAt', () => {
  const compiled = compileFences([square, circle, broken]);

  it('skips fences that cannot be compiled', () => {
    expect(compiled.map((c) => c.fence.id)).toEqual(['sq', 'c']);
  });

  it('lists the polygons and circles covering a point, by name, boundary included', () => {
    expect(fencesAt(compiled, 13.05, 52.05).map((f) => f.properties.name)).toEqual(['Airport', 'Yard']);
    expect(fencesAt(compiled, 13.01, 52.01).map((f) => f.id)).toEqual(['sq']);
    expect(fencesAt(compiled, 13, 52.05).map((f) => f.id)).toEqual(['sq']);
    expect(fencesAt(compiled, 12.9, 52.05)).toEqual([]);
  });
});
