import { describe, expect, it } from 'vitest';
import { estimateEta, haversineM, MIN_MOVING_KMH, nextPoint, recentSpeedKmh } from './eta';

const pickup = { lng: 13.4, lat: 52.5, label: null };
const dropoff = { lng: 13.41, lat: 52.51, label: null };
const now = Date.parse('2026-11-22T10:00:00Z');

describe('ETA to the next point', () => {
  it('targets the pickup until ARRIVED, then the dropoff; none once final', () => {
    expect(nextPoint('PENDING')).toBe('pickup');
    expect(nextPoint('EN_ROUTE')).toBe('pickup');
    expect(nextPoint('ARRIVED')).toBe('dropoff');
    expect(nextPoint('IN_PROGRESS')).toBe('dropoff');
    expect(nextPoint('COMPLETED')).toBeNull();
    expect(nextPoint('CANCELLED')).toBeNull();
  });

  it('haversine agrees with known distances', () => {
    expect(haversineM({ lng: 0, lat: 0 }, { lng: 1, lat: 0 })).toBeCloseTo(111_195, -1);
    expect(haversineM({ lng: 13.4, lat: 52.5 }, { lng: 13.4, lat: 52.5 })).toBe(0);
    // antipodes: half the circumference
    expect(haversineM({ lng: 0, lat: 0 }, { lng: 180, lat: 0 })).toBeCloseTo(Math.PI * 6_371_008.8, 0);
  });

  it('is distance over recent speed, with the arrival time', () => {
    const position = { lng: 13.4, lat: 52.49 }; // 0.01° south of the pickup ≈ 1112 m
    const eta = estimateEta({ status: 'EN_ROUTE', pickup, dropoff, position, speedKmh: 36, now })!;
    expect(eta.target).toBe('pickup');
    expect(eta.distanceM).toBeCloseTo(1112, -1);
    expect(eta.seconds).toBe(Math.round(haversineM(position, pickup) / 10));
    expect(Date.parse(eta.at) - now).toBe(eta.seconds * 1000);
    const toDropoff = estimateEta({ status: 'IN_PROGRESS', pickup, dropoff, position: pickup, speedKmh: 36, now })!;
    expect(toDropoff.target).toBe('dropoff');
    expect(toDropoff.distanceM).toBe(Math.round(haversineM(pickup, dropoff)));
  });

  it('is unknown without a position, without movement, or once final', () => {
    expect(estimateEta({ status: 'EN_ROUTE', pickup, dropoff, position: null, speedKmh: 40, now })).toBeNull();
    expect(estimateEta({ status: 'EN_ROUTE', pickup, dropoff, position: pickup, speedKmh: null, now })).toBeNull();
    expect(estimateEta({ status: 'EN_ROUTE', pickup, dropoff, position: pickup, speedKmh: MIN_MOVING_KMH - 0.1, now })).toBeNull();
    expect(estimateEta({ status: 'COMPLETED', pickup, dropoff, position: pickup, speedKmh: 40, now })).toBeNull();
  });

  it('recent speed: the reported mean, else track length over time, else unknown', () => {
    expect(recentSpeedKmh({ avgSpeedKmh: 42, lengthM: 1, spanS: 100 })).toBe(42);
    expect(recentSpeedKmh({ avgSpeedKmh: null, lengthM: 1000, spanS: 100 })).toBeCloseTo(36);
    expect(recentSpeedKmh({ avgSpeedKmh: null, lengthM: 1000, spanS: 5 })).toBeNull();
    expect(recentSpeedKmh({ avgSpeedKmh: null, lengthM: 0, spanS: 0 })).toBeNull();
  });
});
