import { describe, expect, it } from 'vitest';
import type { TrackDto } from '@/server/protocol/trips';
import { duration, trackText } from './track-text';

const now = Date.parse('2026-12-07T12:00:00Z');
const clock = (iso: string, withDay: boolean) => `${withDay ? 'day ' : ''}${iso.slice(11, 16)}`;
const track = (over: Partial<TrackDto> = {}, ageMs = 5_000): TrackDto => ({
  status: 'EN_ROUTE',
  timestamps: { PENDING: null, EN_ROUTE: null, ARRIVED: null, IN_PROGRESS: null, COMPLETED: null, CANCELLED: null },
  pickup: { lng: 13.4, lat: 52.52, label: 'Home' },
  dropoff: { lng: 13.45, lat: 52.5, label: 'Office' },
  vehicle: { name: 'Van', plate: null, position: { lng: 13.39, lat: 52.52, speed: 10, heading: 0, ts: new Date(now - ageMs).toISOString() } },
  eta: { target: 'pickup', distanceM: 680, seconds: 420, at: '2026-12-07T12:07:00Z' },
  distanceM: null,
  durationS: null,
  expiresAt: null,
  updatedAt: new Date(now).toISOString(),
  ...over,
});

describe('the rider card', () => {
  it('a fresh position: the ETA as is', () => {
    expect(trackText(track(), now, clock)).toEqual({ headline: 'Your ride is on the way', eta: 'At pickup in about 7 min (12:07) · 680 m away', stale: false });
  });

  it('a position older than a minute: the ETA greyed, saying why', () => {
    const text = trackText(track({}, 3 * 60_000), now, clock);
    expect(text.stale).toBe(true);
    expect(text.eta).toBe('At pickup in about 7 min (12:07) · 680 m away. The vehicle has not reported for 3 min, so this may be out of date.');
    expect(trackText(track({}, 59_000), now, clock).stale).toBe(false);
  });

  it('long ETAs in hours and days, with the day', () => {
    expect(duration(125 * 60)).toBe('2 h 5 min');
    expect(duration(3600)).toBe('1 h');
    expect(duration((3 * 24 + 4) * 3600)).toBe('3 days 4 h');
    expect(duration(24 * 3600)).toBe('1 day');
    const far = trackText(track({ eta: { target: 'dropoff', distanceM: 2_400_000, seconds: 2 * 86_400, at: '2026-12-09T12:00:00Z' } }), now, clock);
    expect(far.eta).toBe('At your destination in about 2 days (day 12:00) · 2400.0 km away');
  });

  it('"You have arrived" only near the dropoff', () => {
    const atDropoff = { lng: 13.4501, lat: 52.5001, speed: 0, heading: 0, ts: new Date(now).toISOString() };
    expect(trackText(track({ status: 'COMPLETED', vehicle: { name: 'Van', plate: null, position: atDropoff } }), now, clock).headline).toBe('You have arrived');
    expect(trackText(track({ status: 'COMPLETED' }), now, clock).headline).toBe('Your trip has ended'); // ≈3.8 km away
  });
});
