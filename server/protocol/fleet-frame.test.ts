import { describe, expect, it } from 'vitest';
import type { VehicleLive } from './fleet';
import { ALL_FIELDS, changedFields, decodeEntries, encodeEntry, FIELDS, type DecodedEntry } from './fleet-frame';

const live = (over: Partial<VehicleLive> = {}): VehicleLive => ({
  id: 'a', lng: 13.4051234, lat: 52.5201234, speed: 42.5, heading: 271.3, battery: 88, ts: 1_800_000_000_000, ...over,
});

function roundTrip(entries: Array<[number, number, VehicleLive]>, at: number): DecodedEntry[] {
  const v: number[] = [];
  for (const [idx, mask, l] of entries) encodeEntry(v, idx, mask, l, at);
  const out: DecodedEntry[] = [];
  decodeEntries(v, at, (e) => out.push(e));
  return out;
}

describe('positions frame encoding', () => {
  it('round-trips every field at its stated precision', () => {
    const at = 1_800_000_000_250;
    const [e] = roundTrip([[7, ALL_FIELDS, live()]], at);
    expect(e).toEqual({ idx: 7, lng: 13.405123, lat: 52.520123, speed: 42.5, heading: 271.3, battery: 88, ts: 1_800_000_000_000 });
  });

  it('encodes unknown speed, heading and battery as null', () => {
    const [e] = roundTrip([[1, ALL_FIELDS, live({ speed: null, heading: null, battery: null })]], 1_800_000_000_000);
    expect(e).toMatchObject({ speed: null, heading: null, battery: null });
  });

  it('sends only the changed fields', () => {
    const before = live();
    const after = live({ lng: 13.406, ts: before.ts + 1000 });
    const mask = changedFields(before, after);
    expect(mask).toBe(FIELDS.lng | FIELDS.ts);
    const [e] = roundTrip([[3, mask, after]], after.ts + 20);
    expect(e).toEqual({ idx: 3, lng: 13.406, ts: after.ts });
    expect(changedFields(null, after)).toBe(ALL_FIELDS);
    expect(changedFields(after, after)).toBe(0);
  });

  it('ignores changes below the transmitted precision', () => {
    expect(changedFields(live(), live({ lng: 13.40512341, speed: 42.51 }))).toBe(0);
  });

  it('decodes several vehicles in order and refuses a truncated frame', () => {
    const out = roundTrip([[1, FIELDS.lat, live()], [2, FIELDS.speed | FIELDS.battery, live({ speed: 0 })]], 0);
    expect(out).toEqual([{ idx: 1, lat: 52.520123 }, { idx: 2, speed: 0, battery: 88 }]);
    expect(() => decodeEntries([1, FIELDS.lng | FIELDS.lat, 5], 0, () => {})).toThrow('truncated');
  });
});

describe('relative coordinates', () => {
  it('sends moved coordinates as micro-degree differences that add up exactly', () => {
    const a = live();
    const b = live({ lng: 13.4052345, lat: 52.5199, ts: a.ts + 1000 });
    const v: number[] = [];
    encodeEntry(v, 5, changedFields(a, b), b, b.ts, a);
    expect(v).toEqual([5, FIELDS.lng | FIELDS.lat | FIELDS.ts | FIELDS.relative, 112, -223, 0]);
    decodeEntries(v, b.ts, (e) => {
      expect(e.relative).toBe(true);
      expect(Math.round((13.405123 + e.lng!) * 1e6) / 1e6).toBe(13.405235);
      expect(Math.round((52.520123 + e.lat!) * 1e6) / 1e6).toBe(52.5199);
    });
  });

  it('stays absolute without a previous state or when the position did not move', () => {
    const v: number[] = [];
    encodeEntry(v, 1, ALL_FIELDS, live(), 0);
    encodeEntry(v, 2, FIELDS.speed, live(), 0, live());
    expect(v[1]).toBe(ALL_FIELDS);
    expect(v.slice(-3)).toEqual([2, FIELDS.speed, 425]);
  });
});
