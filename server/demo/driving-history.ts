import type { DrivingDayDelta } from '../db/sql/driving';
import { seeded } from '../simulator/random';

const DAY_MS = 86_400_000;

/**
 * Synthetic day counters for the demo's scorecard: the 13 days before today for each vehicle and
 * the demo driver, so a first login shows trends (today comes from the live simulation). Each
 * subject has a style: most drive cleanly (1–3 harsh events per 100 km, little speeding), a few
 * are risky (8–14 per 100 km, 5–12 % of the time speeding); weekends are quieter. Deterministic.
 */
export function demoDrivingDays(tenantId: string, subjects: ReadonlyArray<{ kind: 'driver' | 'vehicle'; id: string }>, now: number): DrivingDayDelta[] {
  const today = now - (now % DAY_MS);
  const out: DrivingDayDelta[] = [];
  for (const s of subjects) {
    const random = seeded(`driving:${s.id}`);
    const risky = random() < 0.12;
    const harshPer100 = risky ? 8 + random() * 6 : 1 + random() * 2;
    const speedingShare = risky ? 0.05 + random() * 0.07 : random() * 0.02;
    for (let back = 13; back >= 1; back--) {
      const day = today - back * DAY_MS;
      const weekday = new Date(day).getUTCDay();
      if ((weekday === 0 || weekday === 6) && random() < 0.7) continue;
      const km = 40 + random() * 140;
      const drivingS = (km / (22 + random() * 10)) * 3600;
      const count = (per100: number) => {
        // Poisson by inversion: few events a day.
        const mean = (per100 * km) / 100;
        let n = 0;
        for (let p = Math.exp(-mean), acc = p, u = random(); u > acc && n < 50; n++) {
          p *= mean / (n + 1);
          acc += p;
        }
        return n;
      };
      out.push({
        tenantId,
        subjectKind: s.kind,
        subjectId: s.id,
        day,
        distanceM: km * 1000,
        drivingS,
        speedingS: drivingS * speedingShare * (0.5 + random()),
        idleS: random() * 1200,
        events: {
          harsh_brake: count(harshPer100 * 0.5),
          harsh_acceleration: count(harshPer100 * 0.25),
          harsh_corner: count(harshPer100 * 0.25),
          speeding: count(risky ? 6 : 1),
          idle: count(0.8),
          possible_collision: 0,
        },
      });
    }
  }
  return out;
}
