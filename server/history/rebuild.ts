import type { Prisma } from '../db/database';
import * as sql from '../db/sql/history';
import { MovementSegmenter, type SegmentOptions, type Segments } from './segment';
import type { PlaceOf } from './service';

export interface RebuildOptions {
  from: number;
  to: number;
  /** One tenant, or every tenant (null). */
  tenantId: string | null;
  segment: SegmentOptions;
  placeOf?: PlaceOf | null;
  /** Positions read per statement (keyset pages over position_history's primary key). */
  pageSize?: number;
  /** Journeys and stops written per statement. */
  writeBatch?: number;
  progress?: (positions: number) => void;
}

export interface RebuildResult {
  positions: number;
  trips: number;
  stops: number;
  visits: number;
  ms: number;
}

/**
 * Derives journeys, stops, visits and daily summaries again for [from, to) from the stored
 * positions and geofence events (`npm run history -- rebuild`): what was derived there is
 * deleted first; journeys still under way at `to` end at their last fix. The same pure
 * segmenter as the live stage, vehicle by vehicle, so the result is the live derivation's.
 */
export async function rebuildHistory(prisma: Prisma, o: RebuildOptions): Promise<RebuildResult> {
  const started = performance.now();
  const pageSize = o.pageSize ?? 50_000;
  const writeBatch = o.writeBatch ?? 5_000;
  const drivers = new Map(
    (await prisma.$queryRaw<Array<{ id: string; driver_id: string | null }>>`SELECT id, driver_id FROM vehicles`).map((v) => [v.id, v.driver_id]),
  );
  await sql.deleteDerived(prisma, o.from, o.to, o.tenantId);
  const segmenter = new MovementSegmenter(o.segment, (id) => drivers.get(id) ?? null);
  let out: Segments = { trips: [], stops: [] };
  const result: RebuildResult = { positions: 0, trips: 0, stops: 0, visits: 0, ms: 0 };
  const place = (tenantId: string, lng: number, lat: number) => {
    try {
      return o.placeOf?.(tenantId, lng, lat) ?? null;
    } catch {
      return null;
    }
  };
  const write = async (force: boolean) => {
    if (!force && out.trips.length + out.stops.length < writeBatch) return;
    const { trips, stops } = out;
    out = { trips: [], stops: [] };
    await sql.upsertTrips(prisma, trips.map((t) => ({ ...t, startPlace: place(t.tenantId, t.startLng, t.startLat), endPlace: place(t.tenantId, t.endLng, t.endLat) })));
    await sql.upsertStops(prisma, stops.map((s) => ({ ...s, place: place(s.tenantId, s.lng, s.lat) })));
    result.trips += trips.length;
    result.stops += stops.length;
  };
  let after: { vehicleId: string; ts: number } | null = null;
  let current: string | null = null;
  for (;;) {
    const page = await sql.historyPage(prisma, o.from, o.to, o.tenantId, after, pageSize);
    for (const r of page) {
      // Sorted by vehicle: the previous vehicle is complete.
      if (r.vehicle_id !== current) {
        segmenter.closeAll(out);
        current = r.vehicle_id;
      }
      segmenter.observe(
        { tenantId: r.tenant_id, vehicleId: r.vehicle_id, ts: r.ts, lng: r.lng, lat: r.lat, speed: r.speed, heading: null, accuracy: null, altitude: null, battery: null, attributes: r.attributes },
        out,
      );
    }
    result.positions += page.length;
    o.progress?.(result.positions);
    await write(false);
    if (page.length < pageSize) break;
    const last = page[page.length - 1]!;
    after = { vehicleId: last.vehicle_id, ts: last.ts };
  }
  segmenter.closeAll(out);
  await write(true);
  result.visits = await sql.rebuildVisits(prisma, o.from, o.to, o.tenantId);
  for (const kind of ['vehicle', 'driver'] as const) {
    const keys = await sql.derivedDayKeys(prisma, kind, o.from, o.to, o.tenantId);
    for (let i = 0; i < keys.length; i += 5_000) await sql.refreshDays(prisma, kind, keys.slice(i, i + 5_000));
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}
