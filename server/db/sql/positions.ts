import type { Prisma } from '../database';
import type { Position } from '../../protocol/position';

/**
 * Makes one batch durable in ONE statement (so one implicit transaction):
 *  - appends every position to position_history, skipping (vehicle, ts) pairs already stored
 *    (idempotent: replays and duplicates are accepted once);
 *  - moves each vehicle's current state to its newest new position (never backwards).
 * Returns the indexes (into `batch`) of the positions that were new.
 */
export async function storePositions(prisma: Prisma, batch: readonly Position[]): Promise<number[]> {
  if (batch.length === 0) return [];
  const n = batch.length;
  const ord = new Array<number>(n);
  const ids = new Array<string>(n);
  const tenants = new Array<string>(n);
  const lng = new Array<number>(n);
  const lat = new Array<number>(n);
  const ts = new Array<number>(n);
  const speed = new Array<number | null>(n);
  const heading = new Array<number | null>(n);
  const accuracy = new Array<number | null>(n);
  const altitude = new Array<number | null>(n);
  const battery = new Array<number | null>(n);
  const attributes = new Array<string | null>(n);
  // Sensor vectors as six columns (null when the client sent none).
  const imu = [0, 1, 2, 3, 4, 5].map(() => new Array<number | null>(n));
  batch.forEach((p, i) => {
    ord[i] = i;
    ids[i] = p.vehicleId;
    tenants[i] = p.tenantId;
    lng[i] = p.lng;
    lat[i] = p.lat;
    ts[i] = p.ts;
    speed[i] = p.speed;
    heading[i] = p.heading;
    accuracy[i] = p.accuracy;
    altitude[i] = p.altitude;
    battery[i] = p.battery;
    attributes[i] = p.attributes ? JSON.stringify(p.attributes) : null;
    imu[0]![i] = p.accel?.x ?? null;
    imu[1]![i] = p.accel?.y ?? null;
    imu[2]![i] = p.accel?.z ?? null;
    imu[3]![i] = p.gyro?.x ?? null;
    imu[4]![i] = p.gyro?.y ?? null;
    imu[5]![i] = p.gyro?.z ?? null;
  });
  const rows = await prisma.$queryRaw<Array<{ ord: number }>>`
    WITH input AS (
      SELECT u.ord, u.vehicle_id, u.tenant_id, to_timestamp(u.ts / 1000.0) AS ts,
             ST_SetSRID(ST_MakePoint(u.lng, u.lat), 4326) AS geom,
             u.speed, u.heading, u.accuracy, u.altitude, u.battery, u.attributes,
             u.accel_x, u.accel_y, u.accel_z, u.gyro_x, u.gyro_y, u.gyro_z
      FROM unnest(
        ${ord}::int[], ${ids}::uuid[], ${tenants}::uuid[], ${lng}::float8[], ${lat}::float8[], ${ts}::float8[],
        ${speed}::float8[], ${heading}::float8[], ${accuracy}::float8[], ${altitude}::float8[], ${battery}::float8[],
        ${attributes}::jsonb[],
        ${imu[0]}::real[], ${imu[1]}::real[], ${imu[2]}::real[], ${imu[3]}::real[], ${imu[4]}::real[], ${imu[5]}::real[]
      ) AS u(ord, vehicle_id, tenant_id, lng, lat, ts, speed, heading, accuracy, altitude, battery, attributes,
             accel_x, accel_y, accel_z, gyro_x, gyro_y, gyro_z)
    ),
    inserted AS (
      INSERT INTO position_history (vehicle_id, ts, tenant_id, geom, speed, heading, accuracy, altitude, battery, attributes,
                                    accel_x, accel_y, accel_z, gyro_x, gyro_y, gyro_z)
      SELECT vehicle_id, ts, tenant_id, geom, speed, heading, accuracy, altitude, battery, attributes,
             accel_x, accel_y, accel_z, gyro_x, gyro_y, gyro_z FROM input
      ORDER BY vehicle_id, ts
      ON CONFLICT (vehicle_id, ts) DO NOTHING
      RETURNING vehicle_id, ts
    ),
    fresh AS (
      SELECT DISTINCT ON (i.vehicle_id) i.*
      FROM input i JOIN inserted USING (vehicle_id, ts)
      ORDER BY i.vehicle_id, i.ts DESC, i.ord DESC
    ),
    moved AS (
      UPDATE vehicle_states s SET
        geom = f.geom, ts = f.ts, speed = f.speed, heading = f.heading, accuracy = f.accuracy,
        altitude = f.altitude, battery = f.battery, received_at = now()
      FROM fresh f
      WHERE s.vehicle_id = f.vehicle_id AND (s.ts IS NULL OR s.ts < f.ts)
      RETURNING s.vehicle_id
    )
    SELECT DISTINCT ON (i.vehicle_id, i.ts) i.ord
    FROM input i JOIN inserted USING (vehicle_id, ts)
    ORDER BY i.vehicle_id, i.ts, i.ord`;
  return rows.map((r) => Number(r.ord));
}
