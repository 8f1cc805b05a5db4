import type { CandidateDto, DispatchPlace, Factor, Priority, RequestStatus } from '@/server/protocol/dispatch';

/**
 * Words and links of dispatch shown to people (the console and the driver's phone). Pure, so
 * each wording is unit-tested.
 */

export const STATUS_LABELS: Readonly<Record<RequestStatus, string>> = {
  QUEUED: 'Waiting',
  OFFERED: 'Offered to driver',
  ASSIGNED: 'Assigned',
  DEFERRED: 'Deferred',
  REJECTED: 'Rejected',
  CANCELLED: 'Cancelled',
};

export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = { low: 'Low', normal: 'Normal', high: 'High', emergency: 'Emergency' };

export const FACTOR_LABELS: Readonly<Record<Factor, string>> = {
  distance: 'Road ETA',
  efficiency: 'Direct route',
  utilization: 'Workload',
  rating: 'Driving score',
  capability: 'Capabilities',
  availability: 'Availability',
};

/** 4 min, 1 h 05 min, 40 s */
export function durationText(seconds: number | null): string {
  if (seconds == null) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/** 850 m, 2.4 km */
export function distanceText(meters: number | null): string {
  if (meters == null) return '—';
  return meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(1)} km`;
}

/** How long a request has waited: "just now", "3 min", "2 h 10 min". */
export function ageText(createdAt: string, now: number): string {
  const s = (now - Date.parse(createdAt)) / 1000;
  return s < 45 ? 'just now' : durationText(s);
}

/** Seconds left to answer an offer (never negative). */
export function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

/**
 * Links that open the phone's maps app at the pickup: `geo:` (Android picks the app), and an
 * https Google Maps directions link that iPhones and desktops open too.
 */
export function navigateLinks(place: Pick<DispatchPlace, 'lng' | 'lat' | 'label'>): { geo: string; web: string } {
  const lat = place.lat.toFixed(6);
  const lng = place.lng.toFixed(6);
  return {
    geo: `geo:${lat},${lng}?q=${lat},${lng}(${encodeURIComponent(place.label)})`,
    web: `https://www.google.com/maps/dir/?api=1&destination=${lat},${lng}&travelmode=driving`,
  };
}

/** One line about a candidate: "ETA 4 min · 2.1 km by road (1.2 km straight)" or why it is out. */
export function candidateLine(c: CandidateDto): string {
  if (c.excludedBecause) return `Not a candidate: ${c.excludedBecause}`;
  const straight = c.crowM != null ? ` (${distanceText(c.crowM)} straight)` : '';
  return `ETA ${durationText(c.etaS)} · ${distanceText(c.distanceM)} by road${straight}`;
}
