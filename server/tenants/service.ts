import { requireRole, type Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import { Prisma as P } from '../db/generated/prisma/client';
import { selectRoadNetwork } from '../db/sql/roads';
import type { EventLog } from '../events/log';
import { ApiError } from '../protocol/errors';
import { homeArea as homeAreaSchema, type HomeArea } from '../protocol/home-area';
import type { RoadNetworkSummary } from '../protocol/road-network';
import type { UpdateTenantRequest } from '../protocol/users';
import { Audit, changesOf } from '../events/audit';
import type { TenantRegistry, TenantSettings } from './registry';

export interface TenantDto {
  id: string;
  name: string;
  slug: string;
  receptionEnabled: boolean;
  vehicleRateLimit: number;
  /** IANA time zone: the default for fences and reports. */
  timeZone: string;
  /** Where the fleet works, as an admin set it (null: not set). */
  homeArea: HomeArea | null;
  /** The imported road network's extent (null before an import): where maps open when no home area is set. */
  roadsArea: HomeArea | null;
}

/** The tenants row as Prisma reads it: the DTO's fields, the home area as stored JSON. */
type TenantRow = Omit<TenantDto, 'homeArea' | 'roadsArea'> & { homeArea: unknown };

/** The stored home area, or null when unset (or not a valid box: checked like input). */
const homeAreaOf = (t: { homeArea: unknown }): HomeArea | null => {
  const parsed = homeAreaSchema.safeParse(t.homeArea);
  return parsed.success ? parsed.data : null;
};

const registryEntry = (t: TenantRow): TenantSettings => ({ receptionEnabled: t.receptionEnabled, vehicleRateLimit: t.vehicleRateLimit, timeZone: t.timeZone, homeArea: homeAreaOf(t) });

const toDto = (t: TenantRow, roadsArea: HomeArea | null): TenantDto => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  receptionEnabled: t.receptionEnabled,
  vehicleRateLimit: t.vehicleRateLimit,
  timeZone: t.timeZone,
  homeArea: homeAreaOf(t),
  roadsArea,
});

/**
 * The caller's tenant: settings everyone reads and admins change, mirrored into the registry
 * after the change commits. The reception switch is recorded as reception.changed, every other
 * setting as tenant.updated (both with the tenant as aggregate).
 */
export class TenantService {
  constructor(
    private readonly prisma: Prisma,
    private readonly registry: TenantRegistry,
    private readonly events: EventLog,
  ) {}

  async loadRegistry(): Promise<void> {
    for (const t of await this.prisma.tenant.findMany()) this.registry.set(t.id, registryEntry(t));
  }

  private async roadsArea(tenantId: string): Promise<HomeArea | null> {
    const network = await selectRoadNetwork(this.prisma, tenantId);
    return (network?.summary as RoadNetworkSummary | undefined)?.bbox ?? null;
  }

  async get(principal: Principal): Promise<TenantDto> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: principal.tenantId } });
    if (!tenant) throw new ApiError('UNAUTHORIZED', 'tenant no longer exists');
    return toDto(tenant, await this.roadsArea(tenant.id));
  }

  async update(principal: Principal, input: UpdateTenantRequest): Promise<TenantDto> {
    requireRole(principal, ['admin'], 'change tenant settings');
    const audit = new Audit(principal);
    const id = principal.tenantId;
    const tenant = await this.events.transact(async (tx, emit) => {
      // Locked, so `before` is what this update replaces even when two admins edit at once.
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${id}::uuid FOR UPDATE`;
      const before = await tx.tenant.findUnique({ where: { id } });
      if (!before) throw new ApiError('UNAUTHORIZED', 'tenant no longer exists');
      const { homeArea, ...rest } = input;
      // A JSON column is cleared with DbNull (a plain null would be refused by the client).
      const data = homeArea === undefined ? rest : { ...rest, homeArea: homeArea ?? P.DbNull };
      const after = await tx.tenant.update({ where: { id }, data });
      const { receptionEnabled, ...changes } = changesOf(settings(before), settings(after));
      if (receptionEnabled) emit(audit.event('reception.changed', id, { enabled: after.receptionEnabled }));
      if (Object.keys(changes).length > 0) emit(audit.event('tenant.updated', id, { name: after.name, changes }));
      return after;
    });
    this.registry.set(tenant.id, registryEntry(tenant));
    return toDto(tenant, await this.roadsArea(tenant.id));
  }
}

/** What an admin can change about a tenant (its slug and creation time are fixed). */
function settings(tenant: TenantRow): Record<string, unknown> {
  return { name: tenant.name, receptionEnabled: tenant.receptionEnabled, vehicleRateLimit: tenant.vehicleRateLimit, timeZone: tenant.timeZone, homeArea: homeAreaOf(tenant) };
}
