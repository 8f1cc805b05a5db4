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
  /** The tenant's local day the distance is of: "2026-12-07", and its bounds (epoch ms). */
  day: LocalDay;
  distanceM: number;
  /** The distance changed since `changedDays` last took it. */
  changed: boolean;
}

/** One local calendar day of a time zone: its date and [start, end) in epoch ms. */
export interface LocalDay {
  key: string;
  start: number;
  end: number;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day of `zone` that `at` falls in. Start and end are local midnights (on a day
 * when the clocks change, the end is off by that hour until the next call: the day key decides).
 */
export function localDay(zone: string, at: number): LocalDay {
  let f = dayFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    dayFormatters.set(zone, f);
  }
  const part: Record<string, string> = {};
  for (const p of f.formatToParts(at)) part[p.type] = p.value;
  const intoDay = ((Number(part.hour) * 60 + Number(part.minute)) * 60 + Number(part.second)) * 1000 + (at % 1000);
  const start = at - intoDay;
  return { key: `${part.year}-${part.month}-${part.day}`, start, end: start + DAY_MS };
}

const RING = SERIES_STEPS * SERIES_STEP_S;

/**
 * Fleet KPIs fed from the ingest pipeline's committed batches: positions per second per tenant
 * and the distance driven today (sum of great-circle segments between each vehicle's successive
 * positions; jumps above ≈ 250 km/h are ignored). Vehicle counts come from the live state when a
 * snapshot is taken. The distance restarts at the tenant's local midnight (`timeZoneOf`, UTC by
 * default); `changedDays` / `restore` let the server keep it across restarts
 * (server/metrics/distance-store.ts).
 */
export class FleetMetrics {
  private readonly tenants = new Map<string, TenantCounters>();
  /** Last position per vehicle: lng, lat, ts. */
  private readonly last = new Map<string, [number, number, number]>();
  private readonly timeZoneOf: (tenantId: string) => string;

  constructor(options: { timeZoneOf?: (tenantId: string) => string } = {}) {
    this.timeZoneOf = options.timeZoneOf ?? (() => 'UTC');
  }

  /** Distances saved earlier (e.g. before a restart): each counts if it is of the tenant's current day. */
  restore(days: Iterable<{ tenantId: string; day: string; distanceM: number }>, now = Date.now()): void {
    for (const d of days) {
      const c = this.counters(d.tenantId, now);
      if (c.day.key === d.day && d.distanceM > c.distanceM) c.distanceM = d.distanceM;
    }
  }

  /** The tenants' distances that changed since the last call (to be saved). */
  changedDays(): Array<{ tenantId: string; day: string; distanceM: number }> {
    const out: Array<{ tenantId: string; day: string; distanceM: number }> = [];
    for (const [tenantId, c] of this.tenants) {
      if (!c.changed) continue;
      c.changed = false;
      out.push({ tenantId, day: c.day.key, distanceM: c.distanceM });
    }
    return out;
  }

  /** A committed batch, in commit order (each vehicle's positions in time order). */
  record(positions: readonly Position[], now = Date.now()): void {
    const sec = Math.floor(now / 1000);
    let counters: TenantCounters | undefined;
    let counted = '';
    for (const p of positions) {
      if (p.tenantId !== counted) {
        counters = this.counters(p.tenantId, now);
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
      if (p.ts >= c.day.start && p.ts < c.day.end && ts >= c.day.start && ts < c.day.end) {
        const meters = haversineMeters(lng, lat, p.lng, p.lat);
        if (meters <= (MAX_PLAUSIBLE_MPS * (p.ts - ts)) / 1000) {
          c.distanceM += meters;
          c.changed = true;
        }
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
    const c = this.counters(tenantId, now);
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

  /** The tenant's counters, the distance reset when `now` is past its day (a zone lookup only then). */
  private counters(tenantId: string, now: number): TenantCounters {
    let c = this.tenants.get(tenantId);
    if (!c) {
      c = { perSecond: new Uint32Array(RING), second: new Float64Array(RING).fill(-1), day: localDay(this.zoneOf(tenantId), now), distanceM: 0, changed: false };
      this.tenants.set(tenantId, c);
    }
    if (now < c.day.start || now >= c.day.end) {
      const day = localDay(this.zoneOf(tenantId), now);
      if (day.key !== c.day.key) {
        c.distanceM = 0;
        c.changed = true;
      }
      c.day = day;
    }
    return c;
  }

  private zoneOf(tenantId: string): string {
    try {
      const zone = this.timeZoneOf(tenantId);
      localDay(zone, 0); // throws for an unknown zone
      return zone;
    } catch {
      return 'UTC';
    }
  }
}
