/**
 * Per-tenant settings the ingest path reads on every position (reception switch, live rate
 * limit), kept in memory and updated by the services that change them.
 */
export interface TenantSettings {
  receptionEnabled: boolean;
  /** Live positions per second per vehicle. */
  vehicleRateLimit: number;
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = { receptionEnabled: true, vehicleRateLimit: 1 };

export class TenantRegistry {
  private readonly settings = new Map<string, TenantSettings>();

  set(tenantId: string, settings: TenantSettings): void {
    this.settings.set(tenantId, settings);
  }

  get(tenantId: string): TenantSettings {
    return this.settings.get(tenantId) ?? DEFAULT_TENANT_SETTINGS;
  }
}
