import { haversineMeters } from '../geofence/geometry';
import { MOVING_SPEED_KMH, type FleetMetricsSnapshot } from '../protocol/metrics';
import type { Position } from '../protocol/position';
import type { LiveVehicle } from '../realtime/live-state';

/** Seconds over which `ingestPerSec` is averaged. */
export const RATE_WINDOW_S = 10;
export const SERIES_STEP_S = 10;
/** Steps kept: 10 minutes. */
export const SERIES_STEPS = 60;
/** A segment implying more than this speed (m/s, ≈ 250 km/h) is a position jump, not driving. */
const MAX_PLAUSIBLE_MPS = 70;
const DAY_MS = 86_400_000;

interface TenantCounters {
  /** Positions per second, in a ring indexed by epoch second. */
  perSecond: Uint32Array;
  /** Epoch second each ring slot belongs to. */
  second: Float64Array;
  day: number;
  distanceM: number;
}

const RING = SERIES_STEPS * SERIES_STEP_S;

/**
 * Fleet KPIs fed from the ingest pipeline's committed batches: positions per second per tenant
 * and the distance driven today (sum of great-circle segments between each vehicle's successive
 * positions; jumps above ≈ 250 km/h are ignored). Vehicle counts come from the live state when a
 * snapshot is taken. In memory: the distance restarts at 00:00 UTC and with the process.
 */
export class FleetMetrics {
  private readonly tenants = new Map<string, TenantCounters>();
  /** Last position per vehicle: lng, lat, ts. */
  private readonly last = new Map<string, [number, number, number]>();

  /** A committed batch, in commit order (each vehicle's positions in time order). */
  record(positions: readonly Position[], now = Date.now()): void {
    const sec = Math.floor(now / 1000);
    const today = Math.floor(now / DAY_MS);
    let counters: TenantCounters | undefined;
    let counted = '';
    for (const p of positions) {
      if (p.tenantId !== counted) {
        counters = this.counters(p.tenantId, today);
        counted = p.tenantId;
      }
      const c = counters!;
      const slot = sec % RING;
      if (c.second[slot] !== sec) {
        c.second[slot] = sec;
        c.perSecond[slot] = 0;
      }
      c.perSecond[slot]! += 1;
      const previous = this.last.get(p.vehicleId);
      if (!previous) {
        this.last.set(p.vehicleId, [p.lng, p.lat, p.ts]);
        continue;
      }
      const [lng, lat, ts] = previous;
      if (p.ts <= ts) continue;
      if (Math.floor(p.ts / DAY_MS) === today && Math.floor(ts / DAY_MS) === today) {
        const meters = haversineMeters(lng, lat, p.lng, p.lat);
        if (meters <= (MAX_PLAUSIBLE_MPS * (p.ts - ts)) / 1000) c.distanceM += meters;
      }
      previous[0] = p.lng;
      previous[1] = p.lat;
      previous[2] = p.ts;
    }
  }

  /** KPIs of one tenant now, counting its vehicles from the live state. */
  snapshot(tenantId: string, vehicles: Iterable<LiveVehicle>, now = Date.now()): FleetMetricsSnapshot {
    let total = 0, active = 0, moving = 0, speedSum = 0;
    for (const v of vehicles) {
      total += 1;
      if (!v.online) continue;
      active += 1;
      const speed = v.live?.speed;
      if (speed != null && speed >= MOVING_SPEED_KMH) {
        moving += 1;
        speedSum += speed;
      }
    }
    const c = this.counters(tenantId, Math.floor(now / DAY_MS));
    const sec = Math.floor(now / 1000);
    // The current second is still filling: rates cover the complete seconds before it.
    const countBetween = (from: number, to: number) => {
      let n = 0;
      for (let s = from; s < to; s++) if (c.second[s % RING] === s) n += c.perSecond[s % RING]!;
      return n;
    };
    const seriesEndSec = sec - (sec % SERIES_STEP_S);
    const ingestSeries: number[] = [];
    for (let k = SERIES_STEPS - 1; k >= 0; k--) {
      const end = seriesEndSec - k * SERIES_STEP_S;
      ingestSeries.push(countBetween(end - SERIES_STEP_S, end) / SERIES_STEP_S);
    }
    return {
      at: now,
      vehicles: total,
      active,
      moving,
      stopped: active - moving,
      offline: total - active,
      avgSpeedKmh: moving ? speedSum / moving : null,
      distanceTodayKm: c.distanceM / 1000,
      ingestPerSec: countBetween(sec - RATE_WINDOW_S, sec) / RATE_WINDOW_S,
      ingestSeries,
      seriesEnd: seriesEndSec * 1000,
      seriesStepS: SERIES_STEP_S,
    };
  }

  private counters(tenantId: string, day: number): TenantCounters {
    let c = this.tenants.get(tenantId);
    if (!c) this.tenants.set(tenantId, (c = { perSecond: new Uint32Array(RING), second: new Float64Array(RING).fill(-1), day, distanceM: 0 }));
    if (c.day !== day) {
      c.day = day;
      c.distanceM = 0;
    }
    return c;
  }
}
