import { describe, expect, it } from 'vitest';
import type { VehicleLive, VehicleSnapshot } from '@/server/protocol/fleet';
import { ALL_FIELDS, changedFields, encodeEntry, FIELDS } from '@/server/protocol/fleet-frame';
import { VehicleStore, VEHICLE_COLORS } from './vehicle-store';

const live = (id: string, lng: number, lat: number, speed: number | null = 10): VehicleLive => ({ id, lng, lat, speed, heading: 0, battery: null, ts: 1000 });
const snap = (idx: number, l: VehicleLive | null, online = true): VehicleSnapshot => ({ id: `v${idx}`, idx, name: `V ${idx}`, plate: null, type: 'van', live: l, online });

function frame(entries: Array<[number, number, VehicleLive]>, at = 2000) {
  const v: number[] = [];
  for (const [idx, mask, l] of entries) encodeEntry(v, idx, mask, l, at);
  return { at, v };
}

describe('VehicleStore', () => {
  it('loads a snapshot, placing only vehicles with a position', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52)), snap(2, null)]);
    expect(store.count).toBe(1);
    expect(store.vehicleCount()).toBe(2);
    expect(store.positionsOf()).toEqual([['v1', 13, 52]]);
  });

  it('applies delta frames in place and places a vehicle on its first frame', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52)), snap(2, null)]);
    const positions = store.positions;
    let notified = 0;
    store.onChange(() => notified++);
    const moved = live('v1', 13.5, 52, 0);
    store.applyFrame(frame([[1, changedFields(live('v1', 13, 52), moved), moved], [2, ALL_FIELDS, live('v2', 14, 53)]]));
    expect(store.positions).toBe(positions);
    expect(store.positionsOf()).toEqual([['v1', 13.5, 52], ['v2', 14, 53]]);
    expect([...store.colors.subarray(0, 4)]).toEqual([...VEHICLE_COLORS.stopped]);
    expect([...store.colors.subarray(4, 8)]).toEqual([...VEHICLE_COLORS.moving]);
    expect(notified).toBe(1);
    expect(store.framesReceived).toBe(1);
  });

  it('learns new vehicles from a frame, greys offline ones and removes deleted ones', () => {
    const store = new VehicleStore();
    store.loadSnapshot([snap(1, live('v1', 13, 52), false)]);
    expect([...store.colors.subarray(0, 4)]).toEqual([...VEHICLE_COLORS.offline]);
    store.applyFrame({ ...frame([[9, ALL_FIELDS, live('v9', 1, 2)]]), n: [{ id: 'v9', idx: 9, name: 'New', plate: null, type: 'car' }] });
    expect(store.infos.map((i) => i.name)).toEqual(['V 1', 'New']);
    store.setOnline(1, true);
    expect([...store.colors.subarray(0, 4)]).toEqual([...VEHICLE_COLORS.moving]);
    store.remove(1);
    expect(store.positionsOf()).toEqual([['v9', 1, 2]]);
    store.applyFrame(frame([[9, FIELDS.lat, live('v9', 1, 3)]]));
    expect(store.positionsOf()).toEqual([['v9', 1, 3]]);
  });

  it('grows past its initial capacity without losing data', () => {
    const store = new VehicleStore();
    store.loadSnapshot(Array.from({ length: 1000 }, (_, i) => snap(i, live(`v${i}`, i / 1000, i / 2000))));
    expect(store.count).toBe(1000);
    expect(store.positionsOf()[999]).toEqual(['v999', 0.999, 0.4995]);
    expect(store.bounds()).toEqual([[0, 0], [0.999, 0.4995]]);
  });
});

describe('VehicleStore with relative frames', () => {
  it('adds coordinate differences to the held position', () => {
    const store = new VehicleStore();
    const a = live('v1', 13.405123, 52.520123);
    store.loadSnapshot([snap(1, a)]);
    const b = { ...a, lng: 13.406, lat: 52.52, ts: 2000 };
    const v: number[] = [];
    encodeEntry(v, 1, changedFields(a, b), b, 2000, a);
    store.applyFrame({ at: 2000, v });
    const [[, lng, lat]] = store.positionsOf() as [[string, number, number]];
    expect(lng).toBeCloseTo(13.406, 9);
    expect(lat).toBeCloseTo(52.52, 9);
  });
});
