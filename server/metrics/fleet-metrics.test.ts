import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../geofence/geometry';
import type { Position } from '../protocol/position';
import type { LiveVehicle } from '../realtime/live-state';
import { FleetMetrics, localDay, RATE_WINDOW_S, SERIES_STEP_S, SERIES_STEPS } from './fleet-metrics';

const NOON = Date.UTC(2026, 10, 22, 12);
const pos = (vehicleId: string, lng: number, lat: number, ts: number, tenantId = 'a'): Position => ({
  tenantId, vehicleId, lng, lat, ts, speed: null, heading: null, accuracy: null, altitude: null, battery: null, attributes: null,
});
const vehicle = (online: boolean, speed: number | null, live = true): LiveVehicle => ({
  info: { id: 'x', idx: 1, name: 'x', plate: null, type: 'van' },
  tenantId: 'a',
  live: live ? { id: 'x', lng: 0, lat: 0, speed, heading: null, battery: null, ts: 0 } : null,
  receivedAt: 0,
  online,
});

describe('FleetMetrics', () => {
  it('counts vehicles by presence and speed, and averages the moving ones', () => {
    const m = new FleetMetrics();
    const s = m.snapshot('a', [vehicle(true, 30), vehicle(true, 50), vehicle(true, 0.5), vehicle(true, null), vehicle(false, 80), vehicle(false, null, false)], NOON);
    expect(s).toMatchObject({ vehicles: 6, active: 4, moving: 2, stopped: 2, offline: 2, avgSpeedKmh: 40 });
    expect(m.snapshot('a', [vehicle(true, 0)], NOON).avgSpeedKmh).toBeNull();
  });

  it('measures the ingest rate per tenant over complete seconds', () => {
    const m = new FleetMetrics();
    for (let s = 0; s < RATE_WINDOW_S; s++) {
      const at = NOON - (RATE_WINDOW_S - s) * 1000;
      m.record(Array.from({ length: 50 }, (_, i) => pos(`v${i}`, 13, 52, at)), at);
    }
    m.record([pos('b1', 13, 52, NOON, 'b')], NOON);
    m.record(Array.from({ length: 999 }, (_, i) => pos(`w${i}`, 13, 52, NOON)), NOON); // current second: not yet counted
    const a = m.snapshot('a', [], NOON + 1);
    expect(a.ingestPerSec).toBe(50);
    expect(a.ingestSeries).toHaveLength(SERIES_STEPS);
    expect(a.seriesStepS).toBe(SERIES_STEP_S);
    expect(a.ingestSeries.reduce((x, y) => x + y, 0) * SERIES_STEP_S).toBe(50 * RATE_WINDOW_S);
    expect(m.snapshot('b', [], NOON + 1000).ingestPerSec).toBe(0.1);
    expect(m.snapshot('c', [], NOON).ingestPerSec).toBe(0);
  });

  it('adds the distance between successive positions of each vehicle, ignoring jumps and replays', () => {
    const m = new FleetMetrics();
    m.record([pos('v1', 13.4, 52.5, NOON), pos('v2', 13.4, 52.5, NOON)], NOON);
    m.record([pos('v1', 13.41, 52.5, NOON + 60_000), pos('v2', 13.4, 52.51, NOON + 60_000)], NOON + 60_000);
    const expected = haversineMeters(13.4, 52.5, 13.41, 52.5) + haversineMeters(13.4, 52.5, 13.4, 52.51);
    expect(m.snapshot('a', [], NOON + 60_000).distanceTodayKm).toBeCloseTo(expected / 1000, 9);
    // 100 km in one second is a jump; an older position is a replay
    m.record([pos('v1', 14.9, 52.5, NOON + 61_000), pos('v2', 13.0, 52.0, NOON)], NOON + 61_000);
    expect(m.snapshot('a', [], NOON + 61_000).distanceTodayKm).toBeCloseTo(expected / 1000, 9);
  });

  it('starts counting distance again at midnight UTC', () => {
    const m = new FleetMetrics();
    const late = Date.UTC(2026, 10, 22, 23, 59);
    m.record([pos('v1', 13.4, 52.5, late)], late);
    m.record([pos('v1', 13.41, 52.5, late + 30_000)], late + 30_000);
    expect(m.snapshot('a', [], late + 30_000).distanceTodayKm).toBeGreaterThan(0.6);
    const next = Date.UTC(2026, 10, 23, 0, 0, 30);
    m.record([pos('v1', 13.42, 52.5, next)], next);
    expect(m.snapshot('a', [], next).distanceTodayKm).toBe(0);
  });

  it("starts again at the tenant's local midnight, not UTC's", () => {
    const m = new FleetMetrics({ timeZoneOf: (tenantId) => (tenantId === 'a' ? 'America/New_York' : 'UTC') });
    // 23:59 UTC on Nov 22 is 18:59 in New York: the same local day continues past UTC midnight
    const late = Date.UTC(2026, 10, 22, 23, 59);
    m.record([pos('v1', 13.4, 52.5, late)], late);
    const next = Date.UTC(2026, 10, 23, 0, 0, 30);
    m.record([pos('v1', 13.41, 52.5, next)], next);
    expect(m.snapshot('a', [], next).distanceTodayKm).toBeGreaterThan(0.6);
    // New York's midnight is 05:00 UTC
    const nyMidnight = Date.UTC(2026, 10, 23, 5, 0, 30);
    m.record([pos('v1', 13.42, 52.5, nyMidnight)], nyMidnight);
    expect(m.snapshot('a', [], nyMidnight).distanceTodayKm).toBe(0);
    expect(localDay('America/New_York', nyMidnight)).toEqual({ key: '2026-11-23', start: Date.UTC(2026, 10, 23, 5), end: Date.UTC(2026, 10, 24, 5) });
    expect(new FleetMetrics({ timeZoneOf: () => 'Nowhere/Atlantis' }).snapshot('x', [], NOON).distanceTodayKm).toBe(0); // unknown zone: UTC
  });

  it('survives a restart: changed days are handed out once, and a restore counts only today', () => {
    const m = new FleetMetrics();
    m.record([pos('v1', 13.4, 52.5, NOON)], NOON);
    m.record([pos('v1', 13.41, 52.5, NOON + 60_000)], NOON + 60_000);
    const [saved, ...more] = m.changedDays();
    expect(more).toEqual([]);
    expect(saved).toMatchObject({ tenantId: 'a', day: '2026-11-22' });
    expect(m.changedDays()).toEqual([]); // nothing new since
    const restarted = new FleetMetrics();
    restarted.restore([saved!, { tenantId: 'b', day: '2026-11-21', distanceM: 5_000 }], NOON + 120_000);
    expect(restarted.snapshot('a', [], NOON + 120_000).distanceTodayKm).toBeCloseTo(saved!.distanceM / 1000, 9);
    expect(restarted.snapshot('b', [], NOON + 120_000).distanceTodayKm).toBe(0); // yesterday's
    // driving goes on from the restored figure
    restarted.record([pos('v1', 13.41, 52.5, NOON + 130_000)], NOON + 130_000);
    restarted.record([pos('v1', 13.42, 52.5, NOON + 190_000)], NOON + 190_000);
    expect(restarted.snapshot('a', [], NOON + 190_000).distanceTodayKm).toBeGreaterThan((saved!.distanceM + 600) / 1000);
  });
});
