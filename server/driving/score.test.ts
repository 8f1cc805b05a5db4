import { describe, expect, it } from 'vitest';
import { bandOf, scoreOf, type Counters } from './score';

const none = { harsh_brake: 0, harsh_acceleration: 0, harsh_corner: 0, speeding: 0, idle: 0, possible_collision: 0 };
const day = (c: Partial<Omit<Counters, 'events'>> & { events?: Partial<Counters['events']> }): Counters => ({
  distanceM: 0,
  drivingS: 0,
  speedingS: 0,
  idleS: 0,
  ...c,
  events: { ...none, ...c.events },
});

describe('the daily score', () => {
  it('the worked example of docs/driving.md: 120 km, 3 harsh brakes, 1 harsh corner, 2 % of the time speeding → 91.3', () => {
    const c = day({ distanceM: 120_000, drivingS: 3 * 3600, speedingS: 0.02 * 3 * 3600, events: { harsh_brake: 3, harsh_corner: 1 } });
    expect(scoreOf(c)).toEqual({ score: 91.3, band: 'excellent' });
  });

  it('no driving, no score', () => {
    expect(scoreOf(day({}))).toEqual({ score: null, band: null });
  });

  it('a clean day is 100', () => {
    expect(scoreOf(day({ distanceM: 50_000, drivingS: 3600 })).score).toBe(100);
  });

  it('short days are judged per 10 km at least', () => {
    expect(scoreOf(day({ distanceM: 1_000, drivingS: 300, events: { harsh_brake: 1 } })).score).toBe(80);
  });

  it('weights are configurable and the score never goes below 0', () => {
    const c = day({ distanceM: 10_000, drivingS: 900, events: { harsh_brake: 1 } });
    expect(scoreOf(c, { harsh_brake: 5 }).score).toBe(50);
    expect(scoreOf(day({ distanceM: 10_000, drivingS: 900, events: { possible_collision: 3 } })).score).toBe(0);
  });

  it('bands: 90+ excellent, 75+ good, 60+ fair, else poor', () => {
    expect([bandOf(95), bandOf(90), bandOf(80), bandOf(75), bandOf(61), bandOf(59.9)]).toEqual(['excellent', 'excellent', 'good', 'good', 'fair', 'poor']);
  });
});
