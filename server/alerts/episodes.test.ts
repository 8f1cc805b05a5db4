import { describe, expect, it } from 'vitest';
import type { NewAlert } from '../db/sql/alerts';
import type { Position } from '../protocol/position';
import type { AlertService } from './service';
import { AlertSources } from './sources';
import { BatteryAlerts } from './battery';
import { EpisodeTracker } from './episodes';
import { parseSpeedLimit, SpeedAlerts } from './speed';
import { SystemErrorThrottle } from './system';

const T0 = 1_800_000_000_000;
let clock = T0;
const at = (vehicleId: string, fields: Partial<Position>): Position => ({
  tenantId: 't1',
  vehicleId,
  lat: 52.5,
  lng: 13.4,
  ts: (clock += 1000),
  speed: null,
  heading: null,
  accuracy: null,
  altitude: null,
  battery: null,
  attributes: null,
  ...fields,
});
const nameOf = (id: string) => `Van ${id}`;

describe('EpisodeTracker', () => {
  it('starts once, stays quiet during the episode and the band between, re-arms when cleared', () => {
    const t = new EpisodeTracker();
    const run = (readings: Array<[boolean, boolean]>) => readings.map(([v, c]) => t.observe('a', v, c));
    expect(run([[false, true], [true, false], [true, false], [false, false], [true, false], [false, true], [true, false]])).toEqual([
      false, true, false, false, false, false, true,
    ]);
    expect(t.size).toBe(1);
    t.forget('a');
    expect(t.size).toBe(0);
    expect(t.observe('a', true, false)).toBe(true);
  });

  it('keeps vehicles apart', () => {
    const t = new EpisodeTracker();
    expect(t.observe('a', true, false)).toBe(true);
    expect(t.observe('b', true, false)).toBe(true);
    expect(t.observe('a', true, false)).toBe(false);
  });
});

describe('SpeedAlerts', () => {
  it('raises once per episode at the tenant-wide limit; at the limit ends it', () => {
    const s = new SpeedAlerts(120, nameOf);
    const speeds = [100, 121, 150, 130, 120, 119, 125, 125];
    const raised = speeds.map((speed) => s.check(at('1', { speed })));
    expect(raised.map((a) => (a ? a.details!.speedKmh : null))).toEqual([null, 121, null, null, null, null, 125, null]);
    expect(raised[1]).toMatchObject({
      tenantId: 't1',
      type: 'speed_violation',
      severity: 'medium',
      vehicleId: '1',
      message: 'Van 1 is speeding: 121 km/h where the fleet limit is 120 km/h',
      details: { speedKmh: 121, limitKmh: 120, limitSource: 'tenant' },
      position: { lng: 13.4, lat: 52.5 },
    });
  });

  it("uses the matched road's posted limit plus the tolerance, and names the limit and the road", () => {
    const s = new SpeedAlerts(120, nameOf, 0.1);
    s.setAttributes('1', { speedLimitKmh: 100 });
    const street = { segmentId: 7, name: 'Elm Street', ref: null, class: 'residential', limitKmh: 40.2 };
    const motorway = { segmentId: 8, name: null, ref: 'I 95', class: 'motorway', limitKmh: 88.5 };
    // 44 km/h is within 40.2 + 10 %; 80 is not.
    expect(s.check(at('1', { speed: 44 }), street)).toBeNull();
    const alert = s.check(at('1', { speed: 80 }), street);
    expect(alert).toMatchObject({
      message: 'Van 1 is speeding: 80 km/h on Elm Street where the posted limit is 40.2 km/h',
      details: { speedKmh: 80, limitKmh: 40.2, limitSource: 'posted', thresholdKmh: 44.2, tolerance: 0.1, road: { segmentId: 7, name: 'Elm Street', class: 'residential' } },
    });
    // The same speed on the motorway: within its limit, the episode ends.
    expect(s.check(at('1', { speed: 80 }), motorway)).toBeNull();
    expect(s.check(at('1', { speed: 100 }), motorway)).toMatchObject({ message: 'Van 1 is speeding: 100 km/h on I 95 where the posted limit is 88.5 km/h' });
    // A road without a posted limit: the vehicle's own, naming the road.
    const lane = { segmentId: 9, name: null, ref: null, class: 'service', limitKmh: null };
    expect(s.check(at('1', { speed: 50 }), lane)).toBeNull();
    expect(s.check(at('1', { speed: 101 }), lane)).toMatchObject({ message: "Van 1 is speeding: 101 km/h on a service road where the vehicle's limit is 100 km/h", details: { limitSource: 'vehicle' } });
  });

  it('positions without a speed neither start nor end an episode', () => {
    const s = new SpeedAlerts(120, nameOf);
    expect(s.check(at('1', { speed: 130 }))).not.toBeNull();
    expect(s.check(at('1', { speed: null }))).toBeNull();
    expect(s.check(at('1', { speed: 140 }))).toBeNull();
  });

  it("uses the vehicle's attributes.speedLimitKmh when usable, else the default", () => {
    const s = new SpeedAlerts(120, nameOf);
    s.setAttributes('1', { speedLimitKmh: 80 });
    s.setAttributes('2', { speedLimitKmh: '90' });
    s.setAttributes('3', { speedLimitKmh: 'fast' });
    expect([s.limitOf('1'), s.limitOf('2'), s.limitOf('3'), s.limitOf('4')]).toEqual([80, 90, 120, 120]);
    expect(s.check(at('1', { speed: 85 }))?.details).toEqual({ speedKmh: 85, limitKmh: 80, limitSource: 'vehicle' });
    s.setAttributes('1', {});
    expect(s.limitOf('1')).toBe(120);
    expect(s.check(at('1', { speed: 100 }))).toBeNull(); // under the default: the episode ended
    expect(s.check(at('1', { speed: 121 }))).not.toBeNull();
  });

  it('a low limit of one vehicle does not affect the others, and stops applying when removed', () => {
    const s = new SpeedAlerts(120, nameOf);
    s.setAttributes('a', { speedLimitKmh: 50 });
    s.setAttributes('c', { speedLimitKmh: 70 });
    expect(s.check(at('b', { speed: 60 }))).toBeNull();
    expect(s.check(at('a', { speed: 60 }))?.details).toEqual({ speedKmh: 60, limitKmh: 50, limitSource: 'vehicle' });
    expect(s.check(at('a', { speed: 40 }))).toBeNull(); // ends a's episode
    s.setAttributes('a', { speedLimitKmh: 'none' });
    expect(s.check(at('a', { speed: 100 }))).toBeNull();
    expect(s.check(at('c', { speed: 75 }))?.details).toEqual({ speedKmh: 75, limitKmh: 70, limitSource: 'vehicle' });
    s.forget('c');
    expect(s.check(at('c', { speed: 100 }))).toBeNull();
    expect(s.check(at('c', { speed: 121 }))?.details).toEqual({ speedKmh: 121, limitKmh: 120, limitSource: 'tenant' });
  });

  it('parses limits strictly', () => {
    expect([80, '80', ' 72.5 ', 0, -5, '', null, undefined, {}, 'x', Infinity].map(parseSpeedLimit)).toEqual([
      80, 80, 72.5, null, null, null, null, null, null, null, null,
    ]);
  });
});

describe('BatteryAlerts', () => {
  it('raises below the threshold once; re-arms only above threshold + 5', () => {
    const b = new BatteryAlerts(15, nameOf);
    const levels = [50, 16, 15, 14.6, 10, 18, 20, 14, 20.5, 12];
    const raised = levels.map((battery) => b.check(at('1', { battery })));
    expect(raised.map((a) => (a ? a.details!.battery : null))).toEqual([null, null, null, 14.6, null, null, null, null, null, 12]);
    expect(raised[3]).toMatchObject({ type: 'low_battery', severity: 'medium', message: 'Van 1 battery is low: 14.6 % (below 15 %)' });
  });

  it('ignores positions without a battery reading', () => {
    const b = new BatteryAlerts(15, nameOf);
    expect(b.check(at('1', { battery: null }))).toBeNull();
    expect(b.check(at('1', { battery: 0 }))).not.toBeNull();
  });
});

describe('SystemErrorThrottle', () => {
  it('lets one of each key through per window', () => {
    const t = new SystemErrorThrottle(60_000);
    expect([t.allow('a', 0), t.allow('a', 59_999), t.allow('b', 1), t.allow('a', 60_000)]).toEqual([true, false, true, true]);
  });

  it('prunes old keys so memory stays bounded', () => {
    const t = new SystemErrorThrottle(1000);
    for (let i = 0; i < 5000; i++) t.allow(`k${i}`, i * 10);
    expect(t.size).toBeLessThanOrEqual(1001);
  });
});

describe('AlertSources', () => {
  it('takes start-up speed limits from the registered vehicles and follows their changes', () => {
    const raised: NewAlert[] = [];
    const service = { raiseInBackground: (alerts: NewAlert[]) => raised.push(...alerts) } as unknown as AlertService;
    const sources = new AlertSources(service, { speedLimitKmh: 120, lowBatteryPercent: 15, nameOf, fenceOf: () => undefined });
    sources.start([
      { id: 'slow', attributes: { speedLimitKmh: 60 } },
      { id: 'plain', attributes: null },
    ], () => null);
    sources.committed([at('slow', { speed: 70 }), at('plain', { speed: 70 })]);
    expect(raised.map((a) => [a.vehicleId, a.details])).toEqual([['slow', { speedKmh: 70, limitKmh: 60, limitSource: 'vehicle' }]]);

    sources.vehicleChanged('plain', { speedLimitKmh: 50 });
    sources.committed([at('plain', { speed: 70 })]);
    expect(raised.map((a) => a.vehicleId)).toEqual(['slow', 'plain']);
  });

  it('resumes the episodes of the last committed readings at start-up: no second alert after a restart', () => {
    const raised: NewAlert[] = [];
    const service = { raiseInBackground: (alerts: NewAlert[]) => raised.push(...alerts) } as unknown as AlertService;
    const sources = new AlertSources(service, { speedLimitKmh: 120, lowBatteryPercent: 15, nameOf, fenceOf: () => undefined });
    const last: Record<string, { speed: number | null; battery: number | null }> = {
      speeding: { speed: 130, battery: 80 }, // over the default limit
      limited: { speed: 70, battery: null }, // over its own limit of 60
      flat: { speed: 0, battery: 9 },
      fine: { speed: 100, battery: 16 },
    };
    sources.start(
      ['speeding', 'limited', 'flat', 'fine', 'new'].map((id) => ({ id, attributes: id === 'limited' ? { speedLimitKmh: 60 } : null })),
      (id) => last[id] ?? null,
    );
    sources.committed([
      at('speeding', { speed: 135 }),
      at('limited', { speed: 75 }),
      at('flat', { battery: 8 }),
      at('fine', { speed: 125, battery: 14 }),
      at('new', { speed: 125 }),
    ]);
    expect(raised.map((a) => [a.vehicleId, a.type])).toEqual([
      ['fine', 'speed_violation'],
      ['fine', 'low_battery'],
      ['new', 'speed_violation'],
    ]);
    // the resumed episodes end and re-arm as usual
    sources.committed([at('speeding', { speed: 100 }), at('speeding', { speed: 130 })]);
    expect(raised.at(-1)).toMatchObject({ vehicleId: 'speeding', type: 'speed_violation' });
  });
});
