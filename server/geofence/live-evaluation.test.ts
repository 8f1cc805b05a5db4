import { describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import type { GeofenceDto } from '../protocol/geofences';
import type { Position } from '../protocol/position';
import { VehicleRegistry } from '../vehicles/registry';
import { LiveGeofenceEvaluation } from './live-evaluation';
import type { GeofenceService } from './service';

const fence: GeofenceDto = {
  type: 'Feature',
  id: 'f1',
  geometry: { type: 'Polygon', coordinates: [[[13, 52], [13.01, 52], [13.01, 52.01], [13, 52.01], [13, 52]]] },
  properties: {
    name: 'Yard',
    type: 'CUSTOM',
    kind: 'static',
    alertOnEntry: true,
    alertOnExit: true,
    severity: 'medium',
    hysteresisMeters: 0,
    dwellSeconds: 0,
    maxAccuracyMeters: 100,
    areaM2: 0,
    createdAt: '',
    updatedAt: '',
  },
};
const position = (tenantId: string, vehicleId: string, lng: number, ts: number): Position => ({
  tenantId,
  vehicleId,
  lng,
  lat: 52.005,
  ts,
  speed: null,
  heading: null,
  accuracy: 5,
  altitude: null,
  battery: null,
  attributes: null,
});

describe('LiveGeofenceEvaluation', () => {
  it('turns committed positions into domain events of the vehicle, per tenant, caused by its device, with the fence name', () => {
    const evaluation = new LiveGeofenceEvaluation({
      service: {} as GeofenceService,
      registry: new VehicleRegistry(),
      log: createLogger('silent', false),
      fleet: () => null,
      lastPositionOf: () => null,
      record: () => undefined,
    });
    evaluation.listener.changed('t1', fence);
    evaluation.listener.changed('t2', { ...fence, id: 'f2' });
    expect(evaluation.observe([position('t1', 'v1', 12.99, 1000), position('t2', 'v2', 12.99, 1000)])).toEqual([]);
    const events = evaluation.observe([position('t1', 'v1', 13.005, 2000), position('t2', 'v2', 13.005, 2000)]);
    expect(events).toEqual([
      {
        tenantId: 't1', type: 'geofence.entered', aggregateId: 'v1', at: 2000, actor: { kind: 'device', vehicleId: 'v1' },
        data: { geofenceId: 'f1', geofenceName: fence.properties.name, vehicleId: 'v1', position: { lng: 13.005, lat: 52.005, speed: null, heading: null } },
      },
      expect.objectContaining({ tenantId: 't2', type: 'geofence.entered', aggregateId: 'v2', data: expect.objectContaining({ geofenceId: 'f2' }) }),
    ]);
    expect(evaluation.fenceOf('f2')?.id).toBe('f2');
  });
});

type MembershipRow = { vehicleId: string; geofenceId: string; tenantId: string; state: unknown };

/**
 * Memberships kept in a Map where the database would keep them, behind the service calls the
 * evaluation makes; `failNextSave` makes the next save throw, as a database outage would.
 */
function membershipStore(stored: GeofenceDto = fence) {
  const table = new Map<string, MembershipRow>();
  const writes: MembershipRow[][] = [];
  const events: string[] = [];
  const store = {
    table,
    writes,
    events,
    failNextSave: false,
    last: null as Position | null,
    async start(): Promise<LiveGeofenceEvaluation> {
      const service = {
        loadAll: async () => [{ tenantId: 't1', fence: stored }],
        loadMemberships: async () => [...table.values()],
        saveMemberships: async (rows: MembershipRow[]) => {
          if (store.failNextSave) {
            store.failNextSave = false;
            throw new Error('database is away');
          }
          writes.push(rows);
          for (const row of rows) {
            if (row.state === null) table.delete(`${row.vehicleId}|${row.geofenceId}`);
            else table.set(`${row.vehicleId}|${row.geofenceId}`, row);
          }
        },
      } as unknown as GeofenceService;
      const registry = new VehicleRegistry();
      registry.set({ id: 'v1', tenantId: 't1', deviceId: 'd1', deviceToken: 'x', driverId: null, receptionEnabled: true, type: 'van', attributes: null });
      const evaluation = new LiveGeofenceEvaluation({ service, registry, log: createLogger('silent', false), fleet: () => null, lastPositionOf: () => store.last, record: () => undefined });
      await evaluation.start();
      return evaluation;
    },
    /** Vehicle v1 at `lng` (inside the fence between 13 and 13.01) at position time `ts`. */
    drive(evaluation: LiveGeofenceEvaluation, lng: number, ts: number): void {
      store.last = position('t1', 'v1', lng, ts);
      events.push(...evaluation.observe([store.last]).map((e) => e.type));
    },
  };
  return store;
}

const CONFIRMED_ROW = { vehicleId: 'v1', geofenceId: 'f1', tenantId: 't1', state: { since: -1 } };

describe('LiveGeofenceEvaluation memberships', () => {
  it('are stored when they start or end, not while the vehicle moves inside, and resumed after a restart', async () => {
    const store = membershipStore();
    const first = await store.start();
    store.drive(first, 12.99, 1000);
    store.drive(first, 13.002, 2000);
    await first.saveMemberships();
    expect(store.writes.at(-1)).toEqual([CONFIRMED_ROW]);
    store.drive(first, 13.004, 3000);
    store.drive(first, 13.006, 4000);
    const saved = store.writes.length;
    await first.saveMemberships();
    expect(store.writes.length).toBe(saved); // moving inside: nothing to write
    await first.stop();

    const second = await store.start(); // a restart: resumes inside, at the last committed position
    store.drive(second, 13.003, 3500); // older than the last position: changes nothing
    store.drive(second, 13.008, 5000);
    store.drive(second, 13.02, 6000);
    await second.stop();
    expect(store.events).toEqual(['geofence.entered', 'geofence.exited']);
    expect(store.table.size).toBe(0);
  });

  it('whose save failed are written with the next save', async () => {
    const store = membershipStore();
    const evaluation = await store.start();
    store.drive(evaluation, 12.99, 1000);
    store.drive(evaluation, 13.005, 2000);
    store.failNextSave = true;
    await evaluation.saveMemberships();
    expect(store.writes).toEqual([]);
    await evaluation.stop(); // retries
    expect(store.writes).toEqual([[CONFIRMED_ROW]]);
  });

  it('are not stored while a dwell still runs, only once it confirms them', async () => {
    const store = membershipStore({ ...fence, properties: { ...fence.properties, dwellSeconds: 10 } });
    const evaluation = await store.start();
    store.drive(evaluation, 12.99, 1000);
    store.drive(evaluation, 13.005, 2000);
    await evaluation.saveMemberships();
    expect(store.writes).toEqual([]); // pending: nothing stored
    store.drive(evaluation, 13.006, 12_000);
    await evaluation.stop();
    expect(store.writes).toEqual([[CONFIRMED_ROW]]);
  });
});
