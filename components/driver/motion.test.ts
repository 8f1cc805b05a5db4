import { describe, expect, it } from 'vitest';
import { MotionPeak } from './motion';

describe('motion summarised per fix', () => {
  it('keeps the strongest sample since the last fix, rotation in rad/s', () => {
    const peak = new MotionPeak();
    peak.add({ x: 0.1, y: 0, z: 0 }, false, { alpha: 0, beta: 0, gamma: 0 });
    peak.add({ x: -6.5, y: 1, z: 0.2 }, false, { alpha: 90, beta: 0, gamma: 180 });
    peak.add({ x: 2, y: 0, z: 0 }, false, null);
    const taken = peak.take();
    expect(taken.accelerometer).toEqual({ x: -6.5, y: 1, z: 0.2 });
    expect(taken.gyroscope!.z).toBeCloseTo(Math.PI / 2);
    expect(taken.gyroscope!.y).toBeCloseTo(Math.PI);
    expect(peak.take()).toEqual({});
  });

  it('with gravity included, strength is the distance from 1 g', () => {
    const peak = new MotionPeak();
    peak.add({ x: 0, y: 0, z: 9.81 }, true, null);
    peak.add({ x: -5, y: 0, z: 9.81 }, true, null);
    peak.add({ x: 0, y: 0, z: 10.2 }, true, null);
    expect(peak.take().accelerometer).toEqual({ x: -5, y: 0, z: 9.81 });
  });

  it('ignores samples with missing axes', () => {
    const peak = new MotionPeak();
    peak.add({ x: Number.NaN, y: 0, z: 0 }, false, null);
    expect(peak.take()).toEqual({});
  });
});
