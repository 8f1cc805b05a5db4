/**
 * In-memory index of every vehicle the ingest path needs on each position: tenant, device
 * credentials, reception flag, and the facts geofence rules read (type, attributes) and alert
 * rules read (group). Loaded once at start-up and kept current by the vehicle service, so
 * authenticating a device or checking a vehicle's tenant or group never costs a query.
 */
export interface RegisteredVehicle {
  id: string;
  tenantId: string;
  deviceId: string;
  deviceToken: string;
  driverId: string | null;
  receptionEnabled: boolean;
  /** Facts that rules read (conditional geofences). */
  type: string;
  attributes: unknown;
  /** Its group ("North depot"), for alert rules limited to one group; null / absent: none. */
  groupName?: string | null;
}

export class VehicleRegistry {
  private readonly byId = new Map<string, RegisteredVehicle>();
  private readonly byToken = new Map<string, RegisteredVehicle>();
  private readonly byDevice = new Map<string, RegisteredVehicle[]>();

  get size(): number {
    return this.byId.size;
  }

  set(vehicle: RegisteredVehicle): void {
    this.delete(vehicle.id);
    this.byId.set(vehicle.id, vehicle);
    this.byToken.set(vehicle.deviceToken, vehicle);
    this.byDevice.set(vehicle.deviceId, [...this.byDeviceId(vehicle.deviceId), vehicle]);
  }

  delete(id: string): void {
    const previous = this.byId.get(id);
    if (!previous) return;
    this.byId.delete(id);
    this.byToken.delete(previous.deviceToken);
    const sameDevice = this.byDeviceId(previous.deviceId).filter((v) => v.id !== id);
    if (sameDevice.length > 0) this.byDevice.set(previous.deviceId, sameDevice);
    else this.byDevice.delete(previous.deviceId);
  }

  get(id: string): RegisteredVehicle | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<RegisteredVehicle> {
    return this.byId.values();
  }

  /** The vehicle with this id in this tenant; another tenant's vehicle is as good as absent. */
  inTenant(tenantId: string, id: string): RegisteredVehicle | undefined {
    const vehicle = this.byId.get(id);
    return vehicle?.tenantId === tenantId ? vehicle : undefined;
  }

  byDeviceToken(token: string): RegisteredVehicle | undefined {
    return this.byToken.get(token);
  }

  /** Vehicles with this device identifier (unique per tenant, so one per tenant at most). */
  byDeviceId(deviceId: string): RegisteredVehicle[] {
    return this.byDevice.get(deviceId) ?? [];
  }

  /** The vehicle a driver is assigned to, if any. */
  byDriver(tenantId: string, userId: string): RegisteredVehicle | undefined {
    for (const vehicle of this.byId.values()) {
      if (vehicle.tenantId === tenantId && vehicle.driverId === userId) return vehicle;
    }
    return undefined;
  }
}
