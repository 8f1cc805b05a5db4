import type { Prisma } from '../db/database';
import * as sql from '../db/sql/tiles';
import { encodeTile, type TileGeometry } from './mvt-encode';
import { TileCache } from './tile-cache';
import { parseTileCoord, planTile, TILE_MIN_ZOOM, type TileCoord } from './tile-rules';

/** Encoded tiles kept in memory (all tenants): a Baltimore z12–16 working set fits easily. */
const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;
/**
 * How often (ms) a tenant's import time is looked up: an import by another process (the
 * `npm run roads -- import` CLI, another server instance) drops the cached tiles within this.
 */
const VERSION_CHECK_MS = 5000;

/**
 * The street basemap's vector tiles for one tenant: validates the tile address, answers from the
 * LRU cache or builds the tile from the tenant's road network (PostGIS ST_AsMVT where the database
 * has it, else PostGIS clipping + JS encoding), and shares one build between concurrent requests
 * for the same tile. An empty Uint8Array means "nothing here" (the route answers 204).
 */
export class TileService {
  readonly cache: TileCache;
  private encoder: Promise<'postgis' | 'js'> | null = null;
  private readonly inFlight = new Map<string, Promise<Uint8Array>>();
  private readonly versions = new Map<string, { importedAt: number | null; checkedAt: number; pending?: Promise<void> }>();

  constructor(
    private readonly prisma: Prisma,
    options: { cacheBytes?: number; encoder?: 'postgis' | 'js' } = {},
  ) {
    this.cache = new TileCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    if (options.encoder) this.encoder = Promise.resolve(options.encoder);
  }

  /** How tiles are encoded on this database (probed once). */
  encoderKind(): Promise<'postgis' | 'js'> {
    this.encoder ??= sql.supportsMvt(this.prisma).then((yes) => (yes ? 'postgis' : 'js'));
    return this.encoder;
  }

  /** The tile at path segments `z`/`x`/`y.mvt`; VALIDATION_ERROR for a malformed address. */
  async tileAt(tenantId: string, z: string, x: string, y: string): Promise<Uint8Array> {
    return this.tile(tenantId, parseTileCoord(z, x, y));
  }

  async tile(tenantId: string, coord: TileCoord): Promise<Uint8Array> {
    if (coord.z < TILE_MIN_ZOOM) return new Uint8Array(0);
    await this.checkVersion(tenantId);
    const cached = this.cache.get(tenantId, coord.z, coord.x, coord.y);
    if (cached) return cached;
    const key = `${tenantId}/${coord.z}/${coord.x}/${coord.y}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const build = this.build(tenantId, coord)
      .then((tile) => {
        // A re-import during the build must not leave its stale result in the cache.
        if (this.inFlight.get(key) === build) this.cache.set(tenantId, coord.z, coord.x, coord.y, tile);
        return tile;
      })
      .finally(() => {
        if (this.inFlight.get(key) === build) this.inFlight.delete(key);
      });
    this.inFlight.set(key, build);
    return build;
  }

  private async build(tenantId: string, coord: TileCoord): Promise<Uint8Array> {
    const plan = planTile(coord);
    if ((await this.encoderKind()) === 'postgis') return sql.tileMvt(this.prisma, tenantId, plan);
    const rows = await sql.tileFeatures(this.prisma, tenantId, plan);
    return encodeTile(
      rows.map((row) => ({ layer: row.layer, geometry: JSON.parse(row.geometry) as TileGeometry, properties: row.props })),
      sql.TILE_LAYERS,
    );
  }

  /** Drops the tenant's tiles when its network was imported since the last look (any process). */
  private async checkVersion(tenantId: string, now = Date.now()): Promise<void> {
    const known = this.versions.get(tenantId);
    if (known && now - known.checkedAt < VERSION_CHECK_MS) return known.pending;
    const entry = { importedAt: known?.importedAt ?? null, checkedAt: now, pending: undefined as Promise<void> | undefined };
    entry.pending = sql.networkImportedAt(this.prisma, tenantId).then((importedAt) => {
      if (known && importedAt !== known.importedAt) this.invalidate(tenantId);
      entry.importedAt = importedAt;
      entry.pending = undefined;
    });
    this.versions.set(tenantId, entry);
    return entry.pending;
  }

  /** Drop the tenant's cached tiles: call after its road network or map features changed. */
  invalidate(tenantId: string): void {
    this.cache.invalidateTenant(tenantId);
    for (const key of this.inFlight.keys()) if (key.startsWith(`${tenantId}/`)) this.inFlight.delete(key);
  }
}
