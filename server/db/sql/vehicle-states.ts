import type { Prisma } from '../database';
import type { VehicleLive } from '../../protocol/fleet';

/** The live state in a joined vehicle/state row, or null before the first position. */
function liveOf(r: SnapshotRow): VehicleLive | null {
  return r.lng === null || r.lat === null || r.ts === null
    ? null
    : { id: r.id, lng: r.lng, lat: r.lat, speed: r.speed, heading: r.heading, battery: r.battery, ts: r.ts.getTime() };
}

interface SnapshotRow {
  id: string;
  name: string;
  plate: string | null;
  type: string;
  lng: number | null;
  lat: number | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  ts: Date | null;
}

/** Every vehicle of a tenant with its last known state (null before its first position). */
export async function fleetSnapshot(
  prisma: Prisma,
  tenantId: string,
  vehicleId?: string,
): Promise<Array<{ id: string; name: string; plate: string | null; type: string; live: VehicleLive | null }>> {
  const rows = await prisma.$queryRaw<SnapshotRow[]>`
    SELECT v.id, v.name, v.plate, v.type,
           ST_X(s.geom) AS lng, ST_Y(s.geom) AS lat, s.speed, s.heading, s.battery, s.ts
    FROM vehicles v LEFT JOIN vehicle_states s ON s.vehicle_id = v.id
    WHERE v.tenant_id = ${tenantId}::uuid AND (${vehicleId ?? null}::uuid IS NULL OR v.id = ${vehicleId ?? null}::uuid)
    ORDER BY v.name`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    plate: r.plate,
    type: r.type,
    live: liveOf(r),
  }));
}

/** Every vehicle of every tenant with its last state and when it was received (start-up load). */
export async function allVehicleStates(prisma: Prisma): Promise<
  Array<{ tenantId: string; id: string; name: string; plate: string | null; type: string; live: VehicleLive | null; receivedAt: number }>
> {
  const rows = await prisma.$queryRaw<Array<SnapshotRow & { tenant_id: string; received_at: Date | null }>>`
    SELECT v.tenant_id, v.id, v.name, v.plate, v.type,
           ST_X(s.geom) AS lng, ST_Y(s.geom) AS lat, s.speed, s.heading, s.battery, s.ts, s.received_at
    FROM vehicles v LEFT JOIN vehicle_states s ON s.vehicle_id = v.id
    ORDER BY v.tenant_id, v.name`;
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    id: r.id,
    name: r.name,
    plate: r.plate,
    type: r.type,
    receivedAt: r.received_at?.getTime() ?? 0,
    live: liveOf(r),
  }));
}
