/**
 * A small least-recently-used cache of encoded tiles, bounded by bytes, keyed by tenant and tile.
 * A re-import of a tenant's network drops that tenant's tiles (`invalidateTenant`); the map
 * insertion order of a JS Map is the recency order (a hit is deleted and re-inserted).
 */
export class TileCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  private static key(tenantId: string, z: number, x: number, y: number): string {
    return `${tenantId}/${z}/${x}/${y}`;
  }

  get(tenantId: string, z: number, x: number, y: number): Uint8Array | undefined {
    const key = TileCache.key(tenantId, z, x, y);
    const tile = this.entries.get(key);
    if (tile === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, tile);
    return tile;
  }

  set(tenantId: string, z: number, x: number, y: number, tile: Uint8Array): void {
    // Empty tiles cost their key only; count them as a few bytes so they are bounded too.
    const cost = (t: Uint8Array) => t.byteLength + 64;
    if (cost(tile) > this.maxBytes) return;
    const key = TileCache.key(tenantId, z, x, y);
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= cost(old);
      this.entries.delete(key);
    }
    this.entries.set(key, tile);
    this.bytes += cost(tile);
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= cost(value);
    }
  }

  /** Forget every tile of the tenant (its road network or map data changed). */
  invalidateTenant(tenantId: string): void {
    const prefix = `${tenantId}/`;
    for (const [key, value] of this.entries) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
        this.bytes -= value.byteLength + 64;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }
}
