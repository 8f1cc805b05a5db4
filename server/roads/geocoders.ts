/**
 * One geocode index per tenant, in memory, like the routing graphs (./road-graphs.ts): built in
 * the background after start-up for every tenant with a road network, one after another, and
 * again when a tenant's network changes (`rebuild`, for the import). A rebuild swaps the new
 * index in when it is ready; searches meanwhile use the previous one.
 */
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { geocodeQuery, reverseGeocodeQuery, type GeocodeResponse, type ReverseAddressDto, type ReverseGeocodeResponse } from '../protocol/geocode';
import type { RoadGraph } from './graph/build';
import { buildGeocodeIndex, geocodeIndexBytes, GeocodeSearcher, nearestAddress, streetAt, type GeocodeSource } from './geocode';
import { COL_CONTEXT, COL_HOUSENUMBER, COL_NAME, COL_POSTCODE, COL_STREET, COLS, type GeocodeIndex } from './geocode/build';

/** Reverse geocoding: the nearest street farther than this (m) is not "here" (GEOCODE_REVERSE_MAX_M). */
export const DEFAULT_REVERSE_MAX_M = 100;

export interface GeocoderInfo {
  tenantId: string;
  entries: number;
  addresses: number;
  streets: number;
  places: number;
  pois: number;
  tokens: number;
  /** Bytes of the index (typed arrays, address points, strings). */
  bytes: number;
  loadMs: number;
  buildMs: number;
  builtAt: Date;
}

export interface GeocodersDeps {
  /** A tenant's searchable map data (server/db/sql/geocode.ts in production). */
  load: (tenantId: string) => Promise<GeocodeSource>;
  /** Tenants that have a road network. */
  tenants: () => Promise<string[]>;
  /** The tenant's routing graph, for the street under a point (null while none is built). */
  graph: (tenantId: string) => RoadGraph | null;
  log: Logger;
  reverseMaxM?: number;
}

export class Geocoders {
  private readonly ready = new Map<string, { searcher: GeocodeSearcher; info: GeocoderInfo }>();
  private readonly building = new Map<string, Promise<GeocoderInfo | null>>();
  private starting: Promise<void> | null = null;
  private listed = true;
  private readonly reverseMaxM: number;

  constructor(private readonly deps: GeocodersDeps) {
    this.reverseMaxM = deps.reverseMaxM ?? DEFAULT_REVERSE_MAX_M;
  }

  /** Builds every tenant's index; resolves when all are built (failures are logged, not thrown). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      this.listed = false;
      let tenants: string[];
      try {
        tenants = await this.deps.tenants();
      } catch (err) {
        this.deps.log.error({ err }, 'geocoders: listing tenants with a road network failed');
        this.listed = true;
        return;
      }
      const builds = tenants.map((tenantId) => this.rebuild(tenantId).catch(() => null));
      this.listed = true;
      await Promise.all(builds);
    })();
    return this.starting;
  }

  /**
   * Loads the tenant's map data and builds its index anew (after an import); a tenant without
   * any searchable data loses its index. Rejects when loading fails (the previous index stays).
   */
  rebuild(tenantId: string): Promise<GeocoderInfo | null> {
    const previous = this.building.get(tenantId) ?? Promise.resolve(null);
    const next = previous
      .catch(() => null)
      .then(() => this.build(tenantId))
      .finally(() => {
        if (this.building.get(tenantId) === next) this.building.delete(tenantId);
      });
    this.building.set(tenantId, next);
    return next;
  }

  drop(tenantId: string): void {
    this.ready.delete(tenantId);
  }

  info(tenantId: string): GeocoderInfo | null {
    return this.ready.get(tenantId)?.info ?? null;
  }

  private async build(tenantId: string): Promise<GeocoderInfo | null> {
    const { log } = this.deps;
    const t0 = performance.now();
    let source: GeocodeSource;
    try {
      source = await this.deps.load(tenantId);
    } catch (err) {
      log.error({ err, tenantId }, 'geocoder: loading map data failed');
      throw err;
    }
    const t1 = performance.now();
    if (source.streets.length + source.addresses.length + source.features.length === 0) {
      this.ready.delete(tenantId);
      log.info({ tenantId }, 'geocoder: nothing to search');
      return null;
    }
    await new Promise((resolve) => setImmediate(resolve));
    const t2 = performance.now();
    const { index, report } = buildGeocodeIndex(source);
    const { entries, addresses, streets, places, pois, tokens } = report;
    const info: GeocoderInfo = {
      tenantId,
      entries, addresses, streets, places, pois, tokens,
      bytes: geocodeIndexBytes(index),
      loadMs: Math.round(t1 - t0),
      buildMs: Math.round(performance.now() - t2),
      builtAt: new Date(),
    };
    this.ready.set(tenantId, { searcher: new GeocodeSearcher(index), info });
    log.info(info, 'geocoder built');
    return info;
  }

  private searcherOf(tenantId: string): GeocodeSearcher {
    const entry = this.ready.get(tenantId);
    if (entry) return entry.searcher;
    if (!this.listed || this.building.has(tenantId)) {
      throw new ApiError('UNAVAILABLE', 'the map data is being prepared for search, retry shortly', undefined, { reason: 'GEOCODER_BUILDING' });
    }
    throw new ApiError('NOT_FOUND', 'this tenant has no road network: import one first', undefined, { reason: 'NO_ROAD_NETWORK' });
  }

  /**
   * Search for the caller's tenant from a raw query (`q`, `limit`, `near`). Any role of the
   * tenant. Errors: VALIDATION_ERROR for bad input, NOT_FOUND (reason NO_ROAD_NETWORK) without a
   * network, UNAVAILABLE while the index builds.
   */
  search(principal: Principal, input: unknown): GeocodeResponse {
    const q = parseOrThrow(geocodeQuery, input);
    const searcher = this.searcherOf(principal.tenantId);
    return { results: searcher.search(q.q, { limit: q.limit, near: q.near }) };
  }

  /** What is at a point: the nearest address within 50 m, and the street (routing graph) within GEOCODE_REVERSE_MAX_M. */
  reverse(principal: Principal, input: unknown): ReverseGeocodeResponse {
    const { lng, lat } = parseOrThrow(reverseGeocodeQuery, input);
    const searcher = this.searcherOf(principal.tenantId);
    const near = nearestAddress(searcher.index, lng, lat);
    const address = near ? addressDto(searcher, near.entry, near.distanceM) : null;
    const graph = this.deps.graph(principal.tenantId);
    const found = graph ? streetAt(graph, lng, lat, this.reverseMaxM) : null;
    const street = found ? { ...found, lng: round7(found.lng), lat: round7(found.lat), distanceM: round1(found.distanceM) } : null;
    return { label: address?.label ?? street?.name ?? street?.ref ?? null, address, street };
  }
}

function addressDto(searcher: GeocodeSearcher, e: number, distanceM: number): ReverseAddressDto {
  const index: GeocodeIndex = searcher.index;
  const col = (c: number) => {
    const id = index.cols[e * COLS + c]!;
    return id < 0 ? null : index.strings[id]!;
  };
  return {
    label: searcher.hit(e, 1).label,
    housenumber: col(COL_HOUSENUMBER) ?? '',
    street: col(COL_STREET) ?? '',
    postcode: col(COL_POSTCODE),
    city: col(COL_CONTEXT),
    name: col(COL_NAME),
    lng: index.lng[e]!,
    lat: index.lat[e]!,
    distanceM: round1(distanceM),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
