import { describe, expect, it } from 'vitest';
import { formatDuration, formatKm, indexAt, niceTicks, sortRows, utcDay } from './format';

describe('report formatting', () => {
  it('distances in km with one decimal, durations in plain words', () => {
    expect(formatKm(12_345)).toBe('12.3 km');
    expect(formatKm(0)).toBe('0.0 km');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(12 * 60 + 20)).toBe('12 min');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 05 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('UTC days back from now', () => {
    const now = Date.parse('2026-12-07T00:30:00Z');
    expect(utcDay(now)).toBe('2026-12-07');
    expect(utcDay(now, 1)).toBe('2026-12-06');
  });

  it('sorts numbers numerically and text alphabetically, nulls last, stable for ties', () => {
    const rows = [
      { name: 'b', km: 10, place: null },
      { name: 'a', km: 9, place: 'x' },
      { name: 'c', km: 10, place: 'y' },
    ];
    expect(sortRows(rows, 'km', 'asc').map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(sortRows(rows, 'km', 'desc').map((r) => r.name)).toEqual(['b', 'c', 'a']);
    expect(sortRows(rows, 'name', 'desc').map((r) => r.name)).toEqual(['c', 'b', 'a']);
    expect(sortRows(rows, 'place', 'asc').map((r) => r.name)).toEqual(['a', 'c', 'b']);
  });

  it('chart ticks are round numbers covering the maximum', () => {
    expect(niceTicks(87)).toEqual([0, 50, 100]);
    expect(niceTicks(3.2)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('finds the sample at or before a time', () => {
    const t = [10, 20, 30, 40];
    expect(indexAt(t, 5)).toBe(-1);
    expect(indexAt(t, 10)).toBe(0);
    expect(indexAt(t, 29)).toBe(1);
    expect(indexAt(t, 99)).toBe(3);
    expect(indexAt([], 1)).toBe(-1);
  });
});
