import type { HomeArea } from '../protocol/home-area';

/**
 * Per-tenant settings the ingest path reads on every position (reception switch, live rate
 * limit) and the live figures read (time zone), kept in memory and updated by the services that change them.
 */
export interface TenantSettings {
  receptionEnabled: boolean;
  /** Live positions per second per vehicle. */
  vehicleRateLimit: number;
  /** IANA zone of the tenant's local day ("Distance today", reports' days by default). */
  timeZone: string;
  /** Where the fleet works (tenant settings): trip and dispatch points far outside it are refused. */
  homeArea: HomeArea | null;
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = { receptionEnabled: true, vehicleRateLimit: 1, timeZone: 'UTC', homeArea: null };

export class TenantRegistry {
  private readonly settings = new Map<string, TenantSettings>();

  set(tenantId: string, settings: TenantSettings): void {
    this.settings.set(tenantId, settings);
  }

  get(tenantId: string): TenantSettings {
    return this.settings.get(tenantId) ?? DEFAULT_TENANT_SETTINGS;
  }
}
