import { describe, expect, it } from 'vitest';
import { VehicleStore, VEHICLE_COLORS } from './vehicle-store';

const info = (id: string) => ({ id, name: id, plate: null, type: 'van' });
const live = (id: string, lng: number, lat: number, speed: number | null = 10) => ({ id, lng, lat, speed, heading: 0, battery: null, ts: 1 });

describe('VehicleStore', () => {
  it('loads a snapshot, placing only vehicles with a position', () => {
    const store = new VehicleStore();
    store.loadSnapshot([{ ...info('a'), live: live('a', 13, 52) }, { ...info('b'), live: null }]);
    expect(store.count).toBe(1);
    expect(store.vehicleCount()).toBe(2);
    expect(store.positionsOf()).toEqual([['a', 13, 52]]);
  });

  it('updates positions and colours in place and places a vehicle on its first frame', () => {
    const store = new VehicleStore();
    store.loadSnapshot([{ ...info('a'), live: live('a', 13, 52) }, { ...info('b'), live: null }]);
    const positions = store.positions;
    let notified = 0;
    store.onChange(() => notified++);
    store.applyFrame([live('a', 13.5, 52.5, 0), live('b', 14, 53)]);
    expect(store.positions).toBe(positions);
    expect(store.positionsOf()).toEqual([['a', 13.5, 52.5], ['b', 14, 53]]);
    expect([...store.colors.subarray(0, 4)]).toEqual([...VEHICLE_COLORS.stopped]);
    expect([...store.colors.subarray(4, 8)]).toEqual([...VEHICLE_COLORS.moving]);
    expect(notified).toBe(1);
    expect(store.framesReceived).toBe(1);
  });

  it('grows past its initial capacity without losing data', () => {
    const store = new VehicleStore();
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...info(`v${i}`), live: live(`v${i}`, i / 1000, i / 2000) }));
    store.loadSnapshot(many);
    expect(store.count).toBe(1000);
    expect(store.positionsOf()[999]).toEqual(['v999', 0.999, 0.4995]);
    expect(store.bounds()).toEqual([[0, 0], [0.999, 0.4995]]);
  });
});
