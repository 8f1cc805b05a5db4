import { describe, expect, it } from 'vitest';
import type { ReplayChunk } from '@/server/protocol/reports';
import { addChunk, boundsOf, emptyReplay, fullPath, positionAt, trailAt } from './replay-data';

const vehicles = [
  { id: 'a', name: 'Van A' },
  { id: 'b', name: 'Van B' },
];
const chunk = (rows: Array<[number, number, number, number, number | null]>, stops: ReplayChunk['stops'] = []): ReplayChunk => ({
  vehicles,
  v: rows.map((r) => r[0]),
  t: rows.map((r) => r[1]),
  lng: rows.map((r) => r[2]),
  lat: rows.map((r) => r[3]),
  speed: rows.map((r) => r[4]),
  stops,
  events: [],
  next: null,
});

describe('replay data', () => {
  const data = emptyReplay(0, 100_000);
  addChunk(data, chunk([[0, 0, 10, 50, 0], [1, 0, 20, 60, 10], [0, 10_000, 11, 50, 36]], [{ vehicleId: 'a', startAt: '1970-01-01T00:00:00.000Z', endAt: '1970-01-01T00:10:00.000Z', lng: 10, lat: 50, durationS: 600 }]));
  addChunk(data, chunk([[0, 20_000, 12, 51, null], [1, 20_000, 20, 61, 20]]));

  it('splits chunks into per-vehicle tracks in time order, keeping names and stops', () => {
    expect(data.positions).toBe(5);
    expect(data.tracks.map((t) => [t.name, t.t])).toEqual([
      ['Van A', [0, 10_000, 20_000]],
      ['Van B', [0, 20_000]],
    ]);
    expect(Number.isNaN(data.tracks[0]!.speed[2])).toBe(true);
    expect(data.stops).toEqual([{ vehicleId: 'a', startAt: 0, endAt: 600_000, lng: 10, lat: 50, durationS: 600 }]);
  });

  it('interpolates the position between fixes and holds the last one after the end', () => {
    expect(positionAt(data.tracks[0]!, 5_000)).toMatchObject({ lng: 10.5, lat: 50 });
    expect(positionAt(data.tracks[1]!, 10_000)).toMatchObject({ lng: 20, lat: 60.5 });
    expect(positionAt(data.tracks[0]!, 99_000)).toMatchObject({ lng: 12, lat: 51 });
    expect(positionAt(data.tracks[0]!, -1)).toBeNull();
  });

  it('the trail covers the window before now and ends where the vehicle is', () => {
    expect(trailAt(data.tracks[0]!, 15_000, 4_000)).toEqual([[11, 50], [11.5, 50.5]]);
    expect(trailAt(data.tracks[0]!, 15_000, 60_000)).toEqual([[10, 50], [11, 50], [11.5, 50.5]]);
    expect(fullPath(data.tracks[0]!, 2)).toEqual([[10, 50], [12, 51]]);
  });

  it('bounds cover every track', () => {
    expect(boundsOf(data)).toEqual([10, 50, 20, 61]);
    expect(boundsOf(emptyReplay(0, 1))).toBeNull();
  });
});
