/**
 * Something built in memory per tenant from its road network (the routing graph, the geocoding
 * index): built in the background after start-up for every tenant that has a network (one build
 * at a time per tenant: CPU work, kept off start-up's critical path), and again whenever a
 * tenant's network changes (`rebuild`, after an import). A rebuild swaps the new value in when it
 * is ready; until then readers use the previous one.
 */
import type { Logger } from '../log';
import { ApiError } from '../protocol/errors';

export interface Built<T, Info> {
  value: T;
  info: Info;
}

export interface PerTenantOptions<T, Info> {
  /** What is built, for logs and errors ("road graph", "geocoder"). */
  what: string;
  /** Tenants that have a road network. */
  tenants: () => Promise<string[]>;
  /** Builds the tenant's value; null when the tenant has nothing to build from. Rejects when loading fails. */
  build: (tenantId: string) => Promise<Built<T, Info> | null>;
  log: Logger;
  /** The UNAVAILABLE answer while a tenant's value is being built. */
  building: { message: string; reason: string };
}

export class PerTenant<T, Info> {
  private readonly ready = new Map<string, Built<T, Info>>();
  /** The latest build or rebuild per tenant; builds for one tenant run one after another. */
  private readonly building = new Map<string, Promise<Info | null>>();
  private starting: Promise<void> | null = null;
  /** False from start() until the tenants with a network are known. */
  private listed = true;

  constructor(private readonly o: PerTenantOptions<T, Info>) {}

  /** Builds every tenant's value; resolves when all are built (failures are logged, not thrown). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      this.listed = false;
      let tenants: string[];
      try {
        tenants = await this.o.tenants();
      } catch (err) {
        this.o.log.error({ err }, `${this.o.what}: listing tenants with a road network failed`);
        this.listed = true;
        return;
      }
      // Mark them all as building before the first build starts, so readers answer "building".
      const builds = tenants.map((tenantId) => this.rebuild(tenantId).catch(() => null));
      this.listed = true;
      await Promise.all(builds);
    })();
    return this.starting;
  }

  /**
   * Builds the tenant's value anew; a tenant with nothing to build from loses its value.
   * Resolves with the new value's info (null when nothing), rejects when loading fails (the
   * previous value stays).
   */
  rebuild(tenantId: string): Promise<Info | null> {
    const previous = this.building.get(tenantId) ?? Promise.resolve(null);
    const next = previous
      .catch(() => null)
      .then(() => this.buildOne(tenantId))
      .finally(() => {
        if (this.building.get(tenantId) === next) this.building.delete(tenantId);
      });
    this.building.set(tenantId, next);
    return next;
  }

  /** Forgets a tenant's value (its network was deleted). */
  drop(tenantId: string): void {
    this.ready.delete(tenantId);
  }

  get(tenantId: string): Built<T, Info> | null {
    return this.ready.get(tenantId) ?? null;
  }

  /**
   * The tenant's value for a request: UNAVAILABLE while it is being built, NOT_FOUND (reason
   * NO_ROAD_NETWORK) when the tenant has no network.
   */
  require(tenantId: string): T {
    const entry = this.ready.get(tenantId);
    if (entry) return entry.value;
    if (!this.listed || this.building.has(tenantId)) {
      throw new ApiError('UNAVAILABLE', this.o.building.message, undefined, { reason: this.o.building.reason });
    }
    throw new ApiError('NOT_FOUND', 'this tenant has no road network: import one first', undefined, { reason: 'NO_ROAD_NETWORK' });
  }

  private async buildOne(tenantId: string): Promise<Info | null> {
    let built: Built<T, Info> | null;
    try {
      built = await this.o.build(tenantId);
    } catch (err) {
      this.o.log.error({ err, tenantId }, `${this.o.what}: loading failed`);
      throw err;
    }
    if (!built) {
      this.ready.delete(tenantId);
      this.o.log.info({ tenantId }, `${this.o.what}: nothing to build from`);
      return null;
    }
    this.ready.set(tenantId, built);
    this.o.log.info(built.info as object, `${this.o.what} built`);
    return built.info;
  }
}

/** Lets pending I/O run before a synchronous build. */
export const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));
