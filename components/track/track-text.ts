import { haversineMeters } from '@/server/geofence/geometry';
import type { TrackDto, TripStatus } from '@/server/protocol/trips';

/** After this long without a position the ETA is shown greyed, with the reason. */
export const STALE_AFTER_MS = 60_000;
/** "You have arrived" only when the vehicle's last position is this close to the dropoff. */
export const ARRIVED_WITHIN_M = 300;

const HEADLINE: Record<TripStatus, string> = {
  PENDING: 'Your trip is booked',
  EN_ROUTE: 'Your ride is on the way',
  ARRIVED: 'Your ride has arrived',
  IN_PROGRESS: 'On the way to your destination',
  COMPLETED: 'You have arrived',
  CANCELLED: 'This trip was cancelled',
};

const distance = (m: number) => (m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`);

/** "7 min", "2 h 5 min", "3 days 4 h": a wait a person reads. */
export function duration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** The rider card's words for a track at `now`: headline, ETA line, and whether that line is out of date. */
export function trackText(track: TrackDto, now: number, clock: (iso: string, withDay: boolean) => string): { headline: string; eta: string; stale: boolean } {
  const p = track.vehicle.position;
  const ageMs = p ? now - Date.parse(p.ts) : Infinity;
  let headline = HEADLINE[track.status];
  if (track.status === 'COMPLETED' && p && haversineMeters(p.lng, p.lat, track.dropoff.lng, track.dropoff.lat) > ARRIVED_WITHIN_M) headline = 'Your trip has ended';

  if (track.status === 'COMPLETED') {
    const parts = [track.distanceM !== null ? distance(track.distanceM) : null, track.durationS !== null ? duration(track.durationS) : null];
    return { headline, eta: parts.filter(Boolean).join(' · ') || 'Thank you for riding', stale: false };
  }
  if (track.status === 'CANCELLED') return { headline, eta: 'No vehicle is coming for this trip.', stale: false };
  if (track.status === 'ARRIVED') return { headline, eta: 'Your driver is waiting at the pickup point.', stale: false };
  if (!track.eta) return { headline, eta: p ? 'Arrival time will show once the vehicle is moving.' : 'Waiting for the vehicle’s location…', stale: false };
  const where = track.eta.target === 'pickup' ? 'At pickup' : 'At your destination';
  const withDay = track.eta.seconds >= 20 * 3600;
  const line = `${where} in about ${duration(track.eta.seconds)} (${clock(track.eta.at, withDay)}) · ${distance(track.eta.distanceM)} away`;
  if (ageMs > STALE_AFTER_MS) {
    const ago = duration(ageMs / 1000);
    return { headline, eta: `${line}. The vehicle has not reported for ${ago}, so this may be out of date.`, stale: true };
  }
  return { headline, eta: line, stale: false };
}
