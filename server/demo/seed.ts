import type { Prisma } from '../db/database';
import { storePositions } from '../db/sql/positions';
import type { Logger } from '../log';
import type { Role } from '../protocol/auth';
import { hashPassword } from '../auth/password';
import { FleetSimulation } from '../simulator/fleet-simulation';
import { newDeviceToken } from '../vehicles/service';

export const DEMO_TENANT_SLUG = 'demo';
export const DEMO_VEHICLE_COUNT = 240;

/** Demo logins: also listed in README. */
export const DEMO_USERS: ReadonlyArray<{ email: string; password: string; name: string; role: Role }> = [
  { email: 'admin@demo.geofleet.dev', password: 'demo-admin', name: 'Ada Admin', role: 'admin' },
  { email: 'manager@demo.geofleet.dev', password: 'demo-manager', name: 'Max Manager', role: 'manager' },
  { email: 'driver@demo.geofleet.dev', password: 'demo-driver', name: 'Dana Driver', role: 'driver' },
  { email: 'viewer@demo.geofleet.dev', password: 'demo-viewer', name: 'Vic Viewer', role: 'viewer' },
];

const TYPES = ['van', 'van', 'van', 'truck', 'car', 'bus'] as const;

/**
 * Creates the demo tenant with its users and vehicles, each vehicle placed on its demo path,
 * when the database has no tenant yet. Returns true when it seeded.
 */
export async function seedDemoIfEmpty(prisma: Prisma, log: Logger): Promise<boolean> {
  if ((await prisma.tenant.count()) > 0) return false;
  const started = Date.now();
  const users = await Promise.all(
    DEMO_USERS.map(async (u) => ({ email: u.email, name: u.name, role: u.role, passwordHash: await hashPassword(u.password) })),
  );
  const tenant = await prisma.$transaction(async (tx) => {
    const created = await tx.tenant.create({
      data: { name: 'Demo Logistics Berlin', slug: DEMO_TENANT_SLUG, users: { create: users } },
      include: { users: true },
    });
    const driver = created.users.find((u) => u.role === 'driver');
    const vehicles = Array.from({ length: DEMO_VEHICLE_COUNT }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      const type = TYPES[i % TYPES.length]!;
      return {
        tenantId: created.id,
        name: `${type[0]!.toUpperCase()}${type.slice(1)} ${n}`,
        plate: `B-GF ${1000 + i + 1}`,
        type,
        deviceId: `demo-${n}`,
        deviceToken: newDeviceToken(),
        driverId: i === 0 ? (driver?.id ?? null) : null,
      };
    });
    await tx.vehicle.createMany({ data: vehicles });
    const ids = await tx.vehicle.findMany({ where: { tenantId: created.id }, select: { id: true } });
    await tx.vehicleState.createMany({ data: ids.map((v) => ({ vehicleId: v.id, tenantId: created.id })) });
    return created;
  }, { timeout: 60_000, maxWait: 30_000 }); // the embedded database on a busy machine can need more than Prisma's 5 s

  // Place every vehicle where the simulator would have it now, so the map is never empty.
  const vehicles = await prisma.vehicle.findMany({ where: { tenantId: tenant.id }, select: { id: true }, orderBy: { deviceId: 'asc' } });
  const now = Date.now();
  const simulation = new FleetSimulation(vehicles.map((v) => v.id));
  await storePositions(
    prisma,
    simulation.positionsAt(now).map((p) => ({
      tenantId: tenant.id,
      vehicleId: p.vehicleId,
      lat: p.lat,
      lng: p.lng,
      ts: now,
      speed: p.speed,
      heading: p.heading,
      accuracy: p.accuracy,
      altitude: null,
      battery: p.battery,
      attributes: null,
    })),
  );
  log.info(
    {
      tenant: tenant.name,
      vehicles: DEMO_VEHICLE_COUNT,
      ms: Date.now() - started,
      logins: DEMO_USERS.map((u) => `${u.role}: ${u.email} / ${u.password}`),
    },
    'seeded demo tenant',
  );
  return true;
}
