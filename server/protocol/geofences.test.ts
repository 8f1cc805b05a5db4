import { describe, expect, it } from 'vitest';
import { ApiError, parseOrThrow } from './errors';
import { geofenceEventsQuery, geofenceFeature, featurePatch } from './geofences';

const square = [
  [13.4, 52.5],
  [13.41, 52.5],
  [13.41, 52.51],
  [13.4, 52.51],
  [13.4, 52.5],
];
const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({ type: 'Feature', geometry, properties: { name: 'Depot', ...properties } });

function refusal(input: unknown, schema: Parameters<typeof parseOrThrow>[0] = geofenceFeature): ApiError {
  try {
    parseOrThrow(schema, input);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a VALIDATION_ERROR');
}

describe('geofenceFeature', () => {
  it('accepts a polygon and fills the defaults', () => {
    const f = parseOrThrow(geofenceFeature, feature({ type: 'Polygon', coordinates: [square] }));
    expect(f.geometry).toEqual({ type: 'Polygon', coordinates: [square] });
    expect(f.properties).toEqual({
      name: 'Depot',
      type: 'CUSTOM',
      kind: 'static',
      alertOnEntry: true,
      alertOnExit: true,
      severity: 'medium',
      hysteresisMeters: 0,
      dwellSeconds: 0,
      maxAccuracyMeters: 100,
    });
  });

  it('accepts a multipolygon with a hole and ignores read-only DTO properties', () => {
    const hole = [
      [13.402, 52.502],
      [13.402, 52.505],
      [13.405, 52.505],
      [13.402, 52.502],
    ];
    const f = parseOrThrow(geofenceFeature, feature({ type: 'MultiPolygon', coordinates: [[square, hole], [square.map(([x, y]) => [x! + 1, y!])]] }, { areaM2: 5, id: 'x' }));
    expect(f.geometry.type).toBe('MultiPolygon');
    expect(f.properties).not.toHaveProperty('areaM2');
  });

  it('accepts a circle: a Point with a radius', () => {
    const f = parseOrThrow(geofenceFeature, feature({ type: 'Point', coordinates: [13.4, 52.5] }, { radius: 250 }));
    expect(f.properties.radius).toBe(250);
  });

  it('defaults the severity of a restricted zone to high', () => {
    expect(parseOrThrow(geofenceFeature, feature({ type: 'Polygon', coordinates: [square] }, { type: 'RESTRICTED_ZONE' })).properties.severity).toBe('high');
    expect(parseOrThrow(geofenceFeature, feature({ type: 'Polygon', coordinates: [square] }, { type: 'RESTRICTED_ZONE', severity: 'low' })).properties.severity).toBe('low');
  });

  it('names the field of structural problems', () => {
    const unclosed = refusal(feature({ type: 'Polygon', coordinates: [square.slice(0, 4).concat([[13.39, 52.5]])] }));
    expect(unclosed).toMatchObject({ code: 'VALIDATION_ERROR', field: 'geometry.coordinates.0' });
    expect(unclosed.message).toMatch(/closed ring/);

    const tooFew = refusal(feature({ type: 'Polygon', coordinates: [[square[0], square[1], square[0]]] }));
    expect(tooFew).toMatchObject({ field: 'geometry.coordinates.0' });
    expect(tooFew.message).toMatch(/at least 4 positions/);

    const latOut = square.map((p) => [...p]);
    latOut[3] = [13.4, 95];
    const outOfRange = refusal(feature({ type: 'Polygon', coordinates: [latOut] }));
    expect(outOfRange).toMatchObject({ field: 'geometry.coordinates.0.3' });
    expect(outOfRange.message).toMatch(/latitude 95 is out of range/);

    const lngOut = refusal(feature({ type: 'MultiPolygon', coordinates: [[square], [[[200, 0], [1, 0], [1, 1], [200, 0]]]] }));
    expect(lngOut).toMatchObject({ field: 'geometry.coordinates.1.0.0' });
    expect(lngOut.message).toMatch(/longitude 200/);

    expect(refusal(feature({ type: 'Polygon', coordinates: [square.map((p, i) => (i === 2 ? ['x', 1] : p))] }))).toMatchObject({ field: 'geometry.coordinates.0.2' });
  });

  it('refuses other geometries, missing names and bad numbers', () => {
    expect(refusal(feature({ type: 'LineString', coordinates: square }))).toMatchObject({ field: 'geometry.type' });
    expect(refusal({ type: 'Feature', properties: { name: 'x' } })).toMatchObject({ field: 'geometry' });
    expect(refusal({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [square] }, properties: {} })).toMatchObject({ field: 'properties.name' });
    expect(refusal(feature({ type: 'Polygon', coordinates: [square] }, { hysteresisMeters: -1 }))).toMatchObject({ field: 'properties.hysteresisMeters' });
    expect(refusal(feature({ type: 'Polygon', coordinates: [square] }, { dwellSeconds: -5 }))).toMatchObject({ field: 'properties.dwellSeconds' });
    expect(refusal(feature({ type: 'Polygon', coordinates: [square] }, { type: 'PARKING' }))).toMatchObject({ field: 'properties.type' });
    expect(refusal(feature({ type: 'Polygon', coordinates: [square] }, { severity: 'urgent' }))).toMatchObject({ field: 'properties.severity' });
    expect(refusal({ type: 'FeatureCollection', features: [] })).toMatchObject({ code: 'VALIDATION_ERROR', field: 'type' });
  });

  it('requires a radius for a circle, and only for a circle', () => {
    expect(refusal(feature({ type: 'Point', coordinates: [13.4, 52.5] }))).toMatchObject({ field: 'properties.radius' });
    expect(refusal(feature({ type: 'Point', coordinates: [13.4, 52.5] }, { radius: 0 }))).toMatchObject({ field: 'properties.radius' });
    expect(refusal(feature({ type: 'Polygon', coordinates: [square] }, { radius: 10 }))).toMatchObject({ field: 'properties.radius' });
  });

  it('takes each kind with its own settings, and refuses settings of another kind', () => {
    const poly = { type: 'Polygon', coordinates: [square] };
    const uuid = '6f1c2a52-3a0e-4f7e-9a59-4d1c3b2a1e00';
    const schedule = { timezone: 'Europe/Berlin', windows: [{ days: ['mon', 'fri'], start: '22:00', end: '06:00' }] };
    expect(parseOrThrow(geofenceFeature, feature(poly, { kind: 'temporal', schedule })).properties.schedule).toEqual(schedule);
    expect(parseOrThrow(geofenceFeature, feature(poly, { kind: 'predictive' })).properties).toMatchObject({ windowMinutes: 10, confidenceThreshold: 0.6 });
    expect(parseOrThrow(geofenceFeature, feature({ type: 'Point', coordinates: [13.4, 52.5] }, { kind: 'dynamic', radius: 50, followVehicleId: uuid })).properties.followVehicleId).toBe(uuid);
    expect(refusal(feature(poly, { kind: 'temporal' }))).toMatchObject({ field: 'properties.schedule' });
    expect(refusal(feature(poly, { kind: 'conditional' }))).toMatchObject({ field: 'properties.rule' });
    expect(refusal(feature(poly, { kind: 'dynamic', followVehicleId: uuid }))).toMatchObject({ field: 'geometry' });
    expect(refusal(feature(poly, { kind: 'static', schedule }))).toMatchObject({ field: 'properties.schedule', message: expect.stringMatching(/temporal fences only/) });
    expect(refusal(feature(poly, { kind: 'temporal', schedule: { ...schedule, windows: [{ days: ['someday'], start: '08:00', end: '09:00' }] } }))).toMatchObject({ field: 'properties.schedule.windows.0.days.0' });
    expect(refusal(feature(poly, { kind: 'predictive', confidenceThreshold: 1.5 }))).toMatchObject({ field: 'properties.confidenceThreshold' });
    expect(refusal(feature(poly, { kind: 'wobbly' })).message).toMatch(/must be one of static, dynamic, temporal, conditional, predictive/);
  });
});

describe('featurePatch', () => {
  it('needs something to update', () => {
    expect(refusal({}, featurePatch).message).toMatch(/nothing to update/);
    expect(parseOrThrow(featurePatch, { properties: { name: 'x' } })).toEqual({ properties: { name: 'x' } });
  });
});

describe('geofenceEventsQuery', () => {
  it('parses filters from a query string', () => {
    const q = parseOrThrow(geofenceEventsQuery, {
      geofenceId: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA',
      from: '2026-11-22T10:00:00Z',
      to: '1800000000000',
      limit: '5',
    });
    expect(q).toEqual({ geofenceId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', from: Date.parse('2026-11-22T10:00:00Z'), to: 1800000000000, limit: 5 });
    expect(parseOrThrow(geofenceEventsQuery, { vehicleId: '' }).limit).toBe(1000);
  });

  it('names the bad parameter', () => {
    expect(refusal({ geofenceId: 'nope' }, geofenceEventsQuery)).toMatchObject({ field: 'geofenceId' });
    expect(refusal({ from: 'yesterday' }, geofenceEventsQuery)).toMatchObject({ field: 'from' });
    expect(refusal({ limit: '0' }, geofenceEventsQuery)).toMatchObject({ field: 'limit' });
    expect(refusal({ limit: 'many' }, geofenceEventsQuery)).toMatchObject({ field: 'limit' });
    expect(refusal({ from: '2026-11-22T10:00:00Z', to: '2026-11-22T09:00:00Z' }, geofenceEventsQuery)).toMatchObject({ field: 'to' });
  });
});
