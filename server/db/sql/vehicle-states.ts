import type { Prisma } from '../database';
import type { Position } from '../../protocol/position';
import type { VehicleLive } from '../../protocol/fleet';

/**
 * Writes the newest position of each vehicle into its current-state row in one set-based
 * statement. Update-only: the row exists since the vehicle was created. A position older than
 * the stored one never overwrites it. `positions` must hold at most one entry per vehicle.
 * Returns the number of rows changed.
 */
export async function updateVehicleStates(prisma: Prisma, positions: readonly Position[]): Promise<number> {
  if (positions.length === 0) return 0;
  // Sorted by vehicle id so concurrent batches lock rows in the same order (no deadlocks).
  const sorted = [...positions].sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : 1));
  const ids = sorted.map((p) => p.vehicleId);
  const lng = sorted.map((p) => p.lng);
  const lat = sorted.map((p) => p.lat);
  const ts = sorted.map((p) => p.ts);
  const speed = sorted.map((p) => p.speed);
  const heading = sorted.map((p) => p.heading);
  const accuracy = sorted.map((p) => p.accuracy);
  const altitude = sorted.map((p) => p.altitude);
  const battery = sorted.map((p) => p.battery);
  return prisma.$executeRaw`
    UPDATE vehicle_states AS s SET
      geom = ST_SetSRID(ST_MakePoint(u.lng, u.lat), 4326),
      ts = to_timestamp(u.ts / 1000.0),
      speed = u.speed, heading = u.heading, accuracy = u.accuracy,
      altitude = u.altitude, battery = u.battery,
      received_at = now()
    FROM unnest(
      ${ids}::uuid[], ${lng}::float8[], ${lat}::float8[], ${ts}::float8[], ${speed}::float8[],
      ${heading}::float8[], ${accuracy}::float8[], ${altitude}::float8[], ${battery}::float8[]
    ) AS u(id, lng, lat, ts, speed, heading, accuracy, altitude, battery)
    WHERE s.vehicle_id = u.id AND (s.ts IS NULL OR s.ts <= to_timestamp(u.ts / 1000.0))`;
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
    live:
      r.lng === null || r.lat === null || r.ts === null
        ? null
        : { id: r.id, lng: r.lng, lat: r.lat, speed: r.speed, heading: r.heading, battery: r.battery, ts: r.ts.getTime() },
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
    live:
      r.lng === null || r.lat === null || r.ts === null
        ? null
        : { id: r.id, lng: r.lng, lat: r.lat, speed: r.speed, heading: r.heading, battery: r.battery, ts: r.ts.getTime() },
  }));
}
