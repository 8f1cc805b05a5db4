import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/spatial';
import { ApiError, parseOrThrow } from '../protocol/errors';
import type { MapMatcher } from '../roads/matching/matcher';
import { matchHistory } from './matched-history';
import {
  historyQuery,
  nearbyQuery,
  nearestQuery,
  withinBboxQuery,
  withinPolygonRequest,
  type HistoryFeatureCollection,
  type SpatialVehicle,
  type SpatialVehiclesResult,
} from '../protocol/spatial';

/** Who may run spatial queries: the roles that may watch the fleet (as on /fleet). */
const WATCHERS = ['admin', 'manager', 'viewer'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Spatial queries over the caller's fleet: vehicles in a box or polygon, within a radius, the k
 * nearest, and one vehicle's history as GeoJSON. Inputs are raw (query-string objects, JSON
 * bodies, socket payloads) and validated here, so REST and sockets answer alike; every query is
 * scoped by `principal.tenantId`, and another tenant's vehicle is NOT_FOUND.
 */
export class SpatialService {
  /**
   * `matcherOf`: the tenant's map matcher for `history?matched=true` (throws UNAVAILABLE while
   * its road graph builds, NOT_FOUND without a road network).
   */
  constructor(
    private readonly prisma: Prisma,
    private readonly matcherOf: ((tenantId: string) => MapMatcher) | null = null,
  ) {}

  /** Vehicles whose last position lies in `bbox` (`w,s,e,n`, edges included). */
  async withinBbox(principal: Principal, input: unknown): Promise<SpatialVehiclesResult> {
    requireRole(principal, WATCHERS, 'run spatial queries');
    const q = parseOrThrow(withinBboxQuery, input);
    return vehicles(await sql.withinBbox(this.prisma, principal.tenantId, q.bbox, q.limit + 1), q.limit);
  }

  /** Vehicles whose last position lies in a GeoJSON polygon or on its boundary. */
  async withinPolygon(principal: Principal, input: unknown): Promise<SpatialVehiclesResult> {
    requireRole(principal, WATCHERS, 'run spatial queries');
    const q = parseOrThrow(withinPolygonRequest, input);
    const reason = await sql.polygonInvalidReason(this.prisma, q.polygon);
    if (reason) throw new ApiError('VALIDATION_ERROR', `polygon: invalid polygon: ${reason}`, 'polygon');
    return vehicles(await sql.withinPolygon(this.prisma, principal.tenantId, q.polygon, q.limit + 1), q.limit);
  }

  /** Vehicles within `radius` meters of (lng, lat), nearest first, each with distanceMeters. */
  async nearby(principal: Principal, input: unknown): Promise<SpatialVehiclesResult> {
    requireRole(principal, WATCHERS, 'run spatial queries');
    const q = parseOrThrow(nearbyQuery, input);
    return vehicles(await sql.nearby(this.prisma, principal.tenantId, q.lng, q.lat, q.radius, q.limit + 1), q.limit);
  }

  /** The k vehicles nearest to (lng, lat) by great-circle distance, nearest first. */
  async nearest(principal: Principal, input: unknown): Promise<SpatialVehiclesResult> {
    requireRole(principal, WATCHERS, 'run spatial queries');
    const q = parseOrThrow(nearestQuery, input);
    const rows = await sql.nearest(this.prisma, principal.tenantId, q.lng, q.lat, q.k);
    return { vehicles: rows.map(toVehicle), truncated: false };
  }

  /** One vehicle's positions with from ≤ ts < to as a GeoJSON FeatureCollection (track + points). */
  async history(principal: Principal, vehicleId: unknown, input: unknown): Promise<HistoryFeatureCollection> {
    requireRole(principal, WATCHERS, 'read position history');
    if (typeof vehicleId !== 'string' || !UUID.test(vehicleId)) {
      throw new ApiError('NOT_FOUND', `vehicle ${typeof vehicleId === 'string' ? vehicleId : ''} not found`.trim());
    }
    const id = vehicleId.toLowerCase();
    const q = parseOrThrow(historyQuery, input);
    const rows = await sql.vehicleHistory(this.prisma, principal.tenantId, id, q.from, q.to, q.limit + 1);
    // An empty answer is either an empty range or a vehicle the caller may not see.
    if (rows.length === 0 && !(await sql.vehicleInTenant(this.prisma, principal.tenantId, id))) {
      throw new ApiError('NOT_FOUND', `vehicle ${id} not found`);
    }
    const collection = historyCollection(id, q.from, q.to, rows, q.limit);
    if (!q.matched) return collection;
    if (!this.matcherOf) throw new ApiError('NOT_FOUND', 'this server has no road networks to match to', 'matched', { reason: 'NO_ROAD_NETWORK' });
    return matchHistory(collection, this.matcherOf(principal.tenantId));
  }
}

function toVehicle(row: sql.SpatialVehicleRow): SpatialVehicle {
  return {
    id: row.id,
    name: row.name,
    plate: row.plate,
    type: row.type,
    lng: row.lng,
    lat: row.lat,
    speed: row.speed,
    heading: row.heading,
    battery: row.battery,
    ts: row.ts.toISOString(),
    ...(row.distance === undefined || row.distance === null ? {} : { distanceMeters: row.distance }),
  };
}

/** Rows fetched with `limit + 1`: the extra row only says that there was more. */
function vehicles(rows: sql.SpatialVehicleRow[], limit: number): SpatialVehiclesResult {
  const truncated = rows.length > limit;
  return { vehicles: (truncated ? rows.slice(0, limit) : rows).map(toVehicle), truncated };
}

export function historyCollection(vehicleId: string, from: number, to: number, fetched: readonly sql.HistoryRow[], limit: number): HistoryFeatureCollection {
  const truncated = fetched.length > limit;
  const rows = truncated ? fetched.slice(0, limit) : fetched;
  const coordinates = rows.map((r): [number, number] => [r.lng, r.lat]);
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: coordinates.length >= 2 ? { type: 'LineString', coordinates } : null,
        properties: {
          kind: 'track',
          vehicleId,
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          count: rows.length,
          truncated,
        },
      },
      ...rows.map((r, i) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: coordinates[i]! },
        properties: {
          kind: 'position' as const,
          ts: r.ts.toISOString(),
          speed: r.speed,
          heading: r.heading,
          battery: r.battery,
          accuracy: r.accuracy,
          // Sensor vectors only where the client sent them.
          ...(r.accel_x !== null ? { accelerometer: { x: r.accel_x, y: r.accel_y!, z: r.accel_z! } } : {}),
          ...(r.gyro_x !== null ? { gyroscope: { x: r.gyro_x, y: r.gyro_y!, z: r.gyro_z! } } : {}),
        },
      })),
    ],
  };
}
