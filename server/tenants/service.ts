import { requireRole, type Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import { ApiError } from '../protocol/errors';
import type { UpdateTenantRequest } from '../protocol/users';
import type { TenantRegistry } from './registry';

export interface TenantDto {
  id: string;
  name: string;
  slug: string;
  receptionEnabled: boolean;
  vehicleRateLimit: number;
}

/** The caller's tenant: settings everyone reads and admins change, mirrored into the registry. */
export class TenantService {
  constructor(
    private readonly prisma: Prisma,
    private readonly registry: TenantRegistry,
  ) {}

  async loadRegistry(): Promise<void> {
    const tenants = await this.prisma.tenant.findMany({ select: { id: true, receptionEnabled: true, vehicleRateLimit: true } });
    for (const t of tenants) this.registry.set(t.id, { receptionEnabled: t.receptionEnabled, vehicleRateLimit: t.vehicleRateLimit });
  }

  async get(principal: Principal): Promise<TenantDto> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: principal.tenantId } });
    if (!tenant) throw new ApiError('UNAUTHORIZED', 'tenant no longer exists');
    return { id: tenant.id, name: tenant.name, slug: tenant.slug, receptionEnabled: tenant.receptionEnabled, vehicleRateLimit: tenant.vehicleRateLimit };
  }

  async update(principal: Principal, input: UpdateTenantRequest): Promise<TenantDto> {
    requireRole(principal, ['admin'], 'change tenant settings');
    const tenant = await this.prisma.tenant.update({ where: { id: principal.tenantId }, data: input });
    this.registry.set(tenant.id, { receptionEnabled: tenant.receptionEnabled, vehicleRateLimit: tenant.vehicleRateLimit });
    return { id: tenant.id, name: tenant.name, slug: tenant.slug, receptionEnabled: tenant.receptionEnabled, vehicleRateLimit: tenant.vehicleRateLimit };
  }
}
