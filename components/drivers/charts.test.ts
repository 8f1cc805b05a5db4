import { describe, expect, it } from 'vitest';
import { evidenceSeries, sparklinePath } from './charts';

describe('scorecard charts', () => {
  it('a sparkline spans the width, 100 at the top, days without driving bridged', () => {
    expect(sparklinePath([100, 50, 0], 100, 20)).toBe('M0.0,0.0L50.0,10.0L100.0,20.0');
    expect(sparklinePath([80, null, 90], 10, 10)).toBe('M0.0,2.0L10.0,1.0');
    expect(sparklinePath([null, 40, 70], 10, 10, 50, 100)).toBe('M5.0,10.0L10.0,6.0');
    expect(sparklinePath([], 10, 10)).toBe('');
    expect(sparklinePath([75], 10, 10)).toBe('M0.0,2.5');
  });

  it('evidence: speed as a line, g as bars scaled to the largest', () => {
    const s = (sec: number, kmh: number, longG: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, sec)).toISOString(), speedKmh: kmh, heading: 0, longG, latG: 0, imuG: null });
    const chart = evidenceSeries([s(0, 60, 0), s(1, 35, -0.7), s(2, 10, -0.7)], 200, 100);
    expect(chart.maxKmh).toBe(60);
    expect(chart.maxG).toBe(0.7);
    expect(chart.speed.startsWith('M0.0,0.0')).toBe(true);
    expect(chart.g.map((b) => Math.round(b.h))).toEqual([0, 100, 100]);
  });
});
