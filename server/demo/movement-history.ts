import { spheroidMeters } from '../history/spheroid';
import type { MovementStop, MovementTrip, Segments } from '../history/segment';
import { seeded } from '../simulator/random';
import { CUSTOMERS, DEPOTS, type DemoPlace } from './baltimore';

const DAY_MS = 86_400_000;

/**
 * Synthetic journeys and stops for the demo's reports: the 13 days before today for each vehicle
 * (today comes from the live simulation), a working day from its depot through customers and back
 * with stops between, journeys 1.3× the straight line at 18–32 km/h. Written through the same
 * path as derived history, so the daily summaries equal the sum of the journeys. Deterministic.
 */
export function demoMovementHistory(tenantId: string, vehicles: ReadonlyArray<{ id: string; driverId: string | null }>, now: number): Segments {
  const today = now - (now % DAY_MS);
  const trips: MovementTrip[] = [];
  const stops: MovementStop[] = [];
  for (const [i, v] of vehicles.entries()) {
    const random = seeded(`movement:${v.id}`);
    const depot = DEPOTS[i % DEPOTS.length]!;
    for (let back = 13; back >= 1; back--) {
      const day = today - back * DAY_MS;
      const weekday = new Date(day).getUTCDay();
      if ((weekday === 0 || weekday === 6) && random() < 0.7) continue;
      let at = day + (11 + random() * 2) * 3_600_000; // 07:00–09:00 in Baltimore (UTC−4/−5)
      let here: DemoPlace = depot;
      const visits = 3 + Math.floor(random() * 6);
      for (let k = 0; k <= visits; k++) {
        const there = k === visits ? depot : CUSTOMERS[Math.floor(random() * CUSTOMERS.length)]!;
        if (there === here) continue;
        const distanceM = spheroidMeters(here.lng, here.lat, there.lng, there.lat) * (1.25 + random() * 0.15);
        const avg = 18 + random() * 14;
        const idleS = Math.round(random() * 240);
        const drivingS = Math.round((distanceM / 1000 / avg) * 3600);
        const end = at + (drivingS + idleS) * 1000;
        trips.push({
          tenantId, vehicleId: v.id, driverId: v.driverId, startTs: Math.round(at), endTs: Math.round(end),
          startLng: here.lng, startLat: here.lat, endLng: there.lng, endLat: there.lat,
          distanceM, drivingS, idleS, maxSpeedKmh: Math.round(avg * (1.6 + random() * 0.5)), avgSpeedKmh: (distanceM / drivingS) * 3.6, positions: Math.round(drivingS + idleS),
        });
        const dwell = (k === visits ? 0 : 8 + random() * 30) * 60_000;
        if (dwell > 0) stops.push({ tenantId, vehicleId: v.id, driverId: v.driverId, startTs: Math.round(end), endTs: Math.round(end + dwell), lng: there.lng, lat: there.lat });
        at = end + dwell;
        here = there;
      }
    }
  }
  return { trips, stops };
}
