import type { TripDto } from '@/server/protocol/trips';
import type { Fix } from './fix';

/** The vehicle the driver reports for, as shown on the page. */
export interface DriverVehicle {
  id: string;
  name: string;
  plate: string | null;
  type: string;
}

/** What the page remembers per user across reloads and offline starts (localStorage). */
export interface DriverMemory {
  /** The driver wants tracking on: a reload resumes it. */
  tracking: boolean;
  lastFix: Fix | null;
  lastAckAt: number | null;
  vehicle: DriverVehicle | null;
  /** The tenant's live positions per second per vehicle. */
  rate: number;
  /** The driver's active trips as last fetched, and when: the trip card opened offline shows them. */
  trips: { at: number; list: TripDto[] } | null;
}

const EMPTY: DriverMemory = { tracking: false, lastFix: null, lastAckAt: null, vehicle: null, rate: 1, trips: null };
const key = (userId: string) => `geofleet.driver.${userId}`;

export function recall(userId: string): DriverMemory {
  try {
    const stored = JSON.parse(window.localStorage.getItem(key(userId)) ?? 'null') as Partial<DriverMemory> | null;
    return { ...EMPTY, ...stored };
  } catch {
    return { ...EMPTY };
  }
}

export function remember(userId: string, patch: Partial<DriverMemory>): void {
  window.localStorage.setItem(key(userId), JSON.stringify({ ...recall(userId), ...patch }));
}
