import { describe, expect, it } from 'vitest';
import type { VehicleLive, VehicleSnapshot } from '@/server/protocol/fleet';
import { ALL_FIELDS, changedFields, encodeEntry, FIELDS } from '@/server/protocol/fleet-frame';
import { allowedIds, STATUSES, VehicleStore, VEHICLE_COLORS } from './vehicle-store';

const live = (id: string, lng: number, lat: number, speed: number | null = 10, heading: number | null = 0): VehicleLive => ({ id, lng, lat, speed, heading, battery: null, ts: 1000 });
const snap = (idx: number, l: VehicleLive | null, online = true, type = 'van'): VehicleSnapshot => ({ id: `v${idx}`, idx, name: `V ${idx}`, plate: `B-${idx}`, type, live: l, online });

function frame(entries: Array<[number, number, VehicleLive, VehicleLive?]>, at = 2000) {
  const v: number[] = [];
  for (const [idx, mask, l, previous] of entries) encodeEntry(v, idx, mask, l, at, previous);
  return { at, v };
}
const color = (store: VehicleStore, slot: number) => [...store.colors.subarray(slot * 4, slot * 4 + 4)];

describe('VehicleStore', () => {
  it('loads a snapshot, placing only vehicles with a position', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52)), snap(2, null)]);
    expect(store.count).toBe(1);
    expect(store.vehicleCount()).toBe(2);
    expect(store.positionsOf()).toEqual([['v1', 13, 52]]);
    expect([...store.renderPositions.subarray(0, 2)]).toEqual([13, 52]);
  });

  it('applies delta frames in place, places a vehicle on its first frame, and notifies membership only', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52)), snap(2, null)]);
    const arrays = [store.micro, store.renderPositions, store.colors];
    let notified = 0;
    store.onChange(() => notified++);
    const moved = live('v1', 13.5, 52, 0, 90);
    store.applyFrame(frame([[1, changedFields(live('v1', 13, 52), moved), moved, live('v1', 13, 52)], [2, ALL_FIELDS, live('v2', 14, 53)]]));
    expect([store.micro, store.renderPositions, store.colors]).toEqual(arrays);
    expect(store.positionsOf()).toEqual([['v1', 13.5, 52], ['v2', 14, 53]]);
    expect(color(store, 0)).toEqual([...VEHICLE_COLORS.stopped]);
    expect(color(store, 1)).toEqual([...VEHICLE_COLORS.moving]);
    expect(store.angles[0]).toBe(-90);
    expect(notified).toBe(1); // v2 was placed
    store.applyFrame(frame([[1, FIELDS.speed, live('v1', 13.5, 52, 30)]]));
    expect(notified).toBe(1); // values only: React is not told
    expect(store.read(0)).toMatchObject({ speed: 30, heading: 90, status: 'moving' });
    expect(store.framesReceived).toBe(2);
  });

  it('keeps relative coordinates exact in micro-degrees over many frames', () => {
    const store = new VehicleStore();
    let previous = live('v1', 13.405123, 52.520123);
    store.loadSnapshot([snap(1, previous)]);
    for (let k = 1; k <= 500; k++) {
      const next = { ...previous, lng: 13.405123 + k * 0.000013, lat: 52.520123 - k * 0.000007, ts: 1000 + k };
      store.applyFrame(frame([[1, changedFields(previous, next), next, previous]], 1000 + k));
      previous = next;
    }
    expect(store.micro[0]).toBe(Math.round(previous.lng * 1e6));
    expect(store.micro[1]).toBe(Math.round(previous.lat * 1e6));
  });

  it('glides the drawn position from where it was to the received one', () => {
    const store = new VehicleStore();
    const a = live('v1', 13, 52);
    store.loadSnapshot([snap(1, a)]);
    const b = { ...a, lng: 13.001, ts: 2000 };
    store.applyFrame(frame([[1, changedFields(a, b), b, a]]), 10_000); // first update: jumps (no known interval)
    expect(store.renderPositions[0]).toBeCloseTo(13.001, 6);
    const jumped = store.drawnVersion;
    expect(jumped).toBeGreaterThan(0);
    const c = { ...b, lng: 13.002, ts: 3000 };
    store.applyFrame(frame([[1, changedFields(b, c), c, b]]), 11_000); // 1 s later: glides over 1 s
    expect(store.drawnVersion).toBe(jumped); // received, not drawn yet
    expect(store.advance(11_500)).toBe(true);
    expect(store.renderPositions[0]).toBeCloseTo(13.0015, 6);
    store.advance(12_000);
    expect(store.renderPositions[0]).toBeCloseTo(13.002, 6);
    const arrived = store.drawnVersion;
    expect(arrived).toBe(jumped + 2); // one per glide step: labels follow these
    expect(store.advance(12_100)).toBe(false); // nothing left to move
    expect(store.drawnVersion).toBe(arrived);
  });

  it('learns new vehicles from a frame, greys offline ones and removes deleted ones', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52), false)]);
    expect(color(store, 0)).toEqual([...VEHICLE_COLORS.offline]);
    store.applyFrame({ ...frame([[9, ALL_FIELDS, live('v9', 1, 2)]]), n: [{ id: 'v9', idx: 9, name: 'New', plate: null, type: 'car' }] });
    expect(store.infos.map((i) => i.name)).toEqual(['V 1', 'New']);
    store.setOnline(1, true);
    expect(color(store, 0)).toEqual([...VEHICLE_COLORS.moving]);
    store.remove(1);
    expect(store.positionsOf()).toEqual([['v9', 1, 2]]);
    expect(store.slotOf('v9')).toBe(0);
    expect(store.slotOf('v1')).toBeUndefined();
    store.applyFrame(frame([[9, FIELDS.lat, live('v9', 1, 3)]]));
    expect(store.positionsOf()).toEqual([['v9', 1, 3]]);
  });

  it('colors a vehicle off its route from the snapshot and the route events, offline over both', () => {
    const store = new VehicleStore();
    store.loadSnapshot([{ ...snap(1, live('v1', 13, 52, 30)), offRoute: true }, snap(2, live('v2', 13, 52, 30))]);
    expect(store.infos[0]).not.toHaveProperty('offRoute'); // a state, not a fact of the vehicle
    expect(store.read(0)).toMatchObject({ status: 'offRoute' });
    expect(color(store, 0)).toEqual([...VEHICLE_COLORS.offRoute]);
    store.setOffRoute(2, true);
    store.setOffRoute(1, false);
    expect([store.read(0)?.status, store.read(1)?.status]).toEqual(['moving', 'offRoute']);
    store.setOnline(2, false);
    expect(store.read(1)?.status).toBe('offline');
    store.setOnline(2, true);
    expect(store.read(1)?.status).toBe('offRoute');
    store.setFilter({ statuses: new Set(['moving', 'stopped', 'offline']), types: new Set() });
    expect([...store.sizes.subarray(0, 2)]).toEqual([1, 0]);
  });

  it('hides filtered-out vehicles by size, by status and by type', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52, 30)), snap(2, live('v2', 13, 52, 0), true, 'truck'), snap(3, live('v3', 13, 52), false)]);
    store.setFilter({ statuses: new Set(['moving', 'offline']), types: new Set() });
    expect([...store.sizes.subarray(0, 3)]).toEqual([1, 0, 1]);
    store.setFilter({ statuses: new Set(['moving', 'stopped', 'offline']), types: new Set(['truck']) });
    expect([...store.sizes.subarray(0, 3)]).toEqual([0, 1, 0]);
  });

  it('finds vehicles by name or plate and records device → dashboard latency', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52)), snap(22, live('v22', 13, 52))]);
    expect(store.search('b-2', 5).map((i) => i.id)).toEqual(['v22']);
    expect(store.search('v ', 1)).toHaveLength(1);
    expect(store.search('  ', 5)).toEqual([]);
    const next = { ...live('v1', 13, 52), ts: 1900 };
    store.applyFrame(frame([[1, FIELDS.ts, next]], 2000), 2050);
    expect(store.latencyWrites).toBe(1);
    expect(store.latencies[0]).toBe(150);
  });

  it('grows past its initial capacity without losing data', () => {
    const store = new VehicleStore();
    store.loadSnapshot(Array.from({ length: 1000 }, (_, i) => snap(i, live(`v${i}`, i / 1000, i / 2000))));
    expect(store.count).toBe(1000);
    expect(store.positionsOf()[999]).toEqual(['v999', 0.999, 0.4995]);
    expect(store.bounds()).toEqual([[0, 0], [0.999, 0.4995]]);
  });

  it('fits the fleet’s main area: a few vehicles on another continent do not stretch the first view', () => {
    const store = new VehicleStore();
    const baltimore = Array.from({ length: 50 }, (_, i) => snap(i, live(`v${i}`, -76.6 + (i % 10) * 0.01, 39.25 + Math.floor(i / 10) * 0.01)));
    store.loadSnapshot([...baltimore, snap(90, live('v90', 13.4, 52.52)), snap(91, live('v91', 13.41, 52.5))]);
    const [[w, s], [e, n]] = store.bounds()!;
    expect([w, s, e, n].map((x) => Math.round(x * 1000) / 1000)).toEqual([-76.6, 39.25, -76.51, 39.29]);
    // A fleet spread over a country is fitted whole.
    const wide = new VehicleStore();
    wide.loadSnapshot(Array.from({ length: 20 }, (_, i) => snap(i, live(`v${i}`, 6 + i * 0.4, 47 + i * 0.4))));
    expect(wide.bounds()).toEqual([[6, 47], [13.6, 54.6]]);
  });

  it('refuses a truncated frame', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52))]);
    expect(() => store.applyFrame({ at: 1, v: [1, FIELDS.lng | FIELDS.lat, 5] })).toThrow('truncated');
  });
});

describe('the group and dispatch filters', () => {
  it('let through the vehicles both allow; a filter not set allows every vehicle', () => {
    expect(allowedIds(null, null)).toBeNull();
    expect([...allowedIds(new Set(['a', 'b']), null)!]).toEqual(['a', 'b']);
    expect([...allowedIds(null, new Set(['b']))!]).toEqual(['b']);
    expect([...allowedIds(new Set(['a', 'b']), new Set(['b', 'c']))!]).toEqual(['b']);
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52)), snap(2, live('v2', 14, 53)), snap(3, null)]);
    store.setFilter({ statuses: new Set(STATUSES), types: new Set(), vehicleIds: allowedIds(new Set(['v1', 'v2']), new Set(['v2'])) });
    expect([store.isShown('v1'), store.isShown('v2'), store.isShown('v3')]).toEqual([false, true, false]);
  });
});

describe('VehicleStore slot table', () => {
  it('finds vehicles by large idx and ignores unknown or malformed ones', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1_500_000, live('big', 13, 52)), snap(3, live('small', 14, 53))]);
    store.applyFrame(frame([[1_500_000, FIELDS.speed, live('big', 13, 52, 0)], [7, FIELDS.speed, live('x', 0, 0, 5)], [-1, FIELDS.speed, live('y', 0, 0, 5)]]));
    expect(store.read(store.slotOf('v1500000'))?.speed).toBe(0);
    expect(store.slotOf('v3')).toBe(1);
    store.remove(1_500_000);
    expect(store.slotOf('v3')).toBe(0);
    expect(() => store.describe({ id: 'bad', idx: -2, name: 'Bad', plate: null, type: 'van' })).not.toThrow();
  });
});
