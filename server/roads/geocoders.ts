/**
 * One geocode index per tenant, in memory, built and rebuilt as ./per-tenant.ts describes.
 */
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import { parseOrThrow } from '../protocol/errors';
import { geocodeQuery, reverseGeocodeQuery, type GeocodeResponse, type ReverseAddressDto, type ReverseGeocodeResponse } from '../protocol/geocode';
import type { RoadGraph } from './graph/build';
import { buildGeocodeIndex, geocodeIndexBytes, GeocodeSearcher, nearestAddress, streetAt, type GeocodeSource } from './geocode';
import { PerTenant, yieldToIo, type Built } from './per-tenant';
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
  private readonly indexes: PerTenant<GeocodeSearcher, GeocoderInfo>;
  private readonly reverseMaxM: number;

  constructor(private readonly deps: GeocodersDeps) {
    this.reverseMaxM = deps.reverseMaxM ?? DEFAULT_REVERSE_MAX_M;
    this.indexes = new PerTenant({
      what: 'geocoder',
      tenants: deps.tenants,
      build: (tenantId) => this.build(tenantId),
      log: deps.log,
      building: { message: 'the map data is being prepared for search, retry shortly', reason: 'GEOCODER_BUILDING' },
    });
  }

  /** Builds every tenant's index; resolves when all are built (failures are logged, not thrown). */
  start(): Promise<void> {
    return this.indexes.start();
  }

  /**
   * Loads the tenant's map data and builds its index anew (after an import); a tenant without
   * any searchable data loses its index. Rejects when loading fails (the previous index stays).
   */
  rebuild(tenantId: string): Promise<GeocoderInfo | null> {
    return this.indexes.rebuild(tenantId);
  }

  drop(tenantId: string): void {
    this.indexes.drop(tenantId);
  }

  info(tenantId: string): GeocoderInfo | null {
    return this.indexes.get(tenantId)?.info ?? null;
  }

  private async build(tenantId: string): Promise<Built<GeocodeSearcher, GeocoderInfo> | null> {
    const t0 = performance.now();
    const source = await this.deps.load(tenantId);
    const t1 = performance.now();
    if (source.streets.length + source.addresses.length + source.features.length === 0) return null;
    await yieldToIo();
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
    return { value: new GeocodeSearcher(index), info };
  }

  /**
   * Search for the caller's tenant from a raw query (`q`, `limit`, `near`). Any role of the
   * tenant. Errors: VALIDATION_ERROR for bad input, NOT_FOUND (reason NO_ROAD_NETWORK) without a
   * network, UNAVAILABLE while the index builds.
   */
  search(principal: Principal, input: unknown): GeocodeResponse {
    const q = parseOrThrow(geocodeQuery, input);
    const searcher = this.indexes.require(principal.tenantId);
    return { results: searcher.search(q.q, { limit: q.limit, near: q.near }) };
  }

  /** What is at a point: the nearest address within 50 m, and the street (routing graph) within GEOCODE_REVERSE_MAX_M. */
  reverse(principal: Principal, input: unknown): ReverseGeocodeResponse {
    const { lng, lat } = parseOrThrow(reverseGeocodeQuery, input);
    const searcher = this.indexes.require(principal.tenantId);
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
