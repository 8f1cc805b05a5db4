import { requireRole, type Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import type { EventLog } from '../events/log';
import { ApiError } from '../protocol/errors';
import type { UpdateTenantRequest } from '../protocol/users';
import { Audit, changesOf } from '../events/audit';
import type { TenantRegistry } from './registry';

export interface TenantDto {
  id: string;
  name: string;
  slug: string;
  receptionEnabled: boolean;
  vehicleRateLimit: number;
  /** IANA time zone: the default for fences and reports. */
  timeZone: string;
}

const toDto = (t: { id: string; name: string; slug: string; receptionEnabled: boolean; vehicleRateLimit: number; timeZone: string }): TenantDto => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  receptionEnabled: t.receptionEnabled,
  vehicleRateLimit: t.vehicleRateLimit,
  timeZone: t.timeZone,
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
    const tenants = await this.prisma.tenant.findMany({ select: { id: true, receptionEnabled: true, vehicleRateLimit: true, timeZone: true } });
    for (const t of tenants) this.registry.set(t.id, { receptionEnabled: t.receptionEnabled, vehicleRateLimit: t.vehicleRateLimit, timeZone: t.timeZone });
  }

  async get(principal: Principal): Promise<TenantDto> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: principal.tenantId } });
    if (!tenant) throw new ApiError('UNAUTHORIZED', 'tenant no longer exists');
    return toDto(tenant);
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
      const after = await tx.tenant.update({ where: { id }, data: input });
      const { receptionEnabled, ...changes } = changesOf(settings(before), settings(after));
      if (receptionEnabled) emit(audit.event('reception.changed', id, { enabled: after.receptionEnabled }));
      if (Object.keys(changes).length > 0) emit(audit.event('tenant.updated', id, { name: after.name, changes }));
      return after;
    });
    this.registry.set(tenant.id, { receptionEnabled: tenant.receptionEnabled, vehicleRateLimit: tenant.vehicleRateLimit, timeZone: tenant.timeZone });
    return toDto(tenant);
  }
}

/** What an admin can change about a tenant (its slug and creation time are fixed). */
function settings(tenant: { name: string; receptionEnabled: boolean; vehicleRateLimit: number; timeZone: string }): Record<string, unknown> {
  return { name: tenant.name, receptionEnabled: tenant.receptionEnabled, vehicleRateLimit: tenant.vehicleRateLimit, timeZone: tenant.timeZone };
}
