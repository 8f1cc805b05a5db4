import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { maintainEventPartitions, maintainHistoryPartitions } from '../../server/db/partitions';
import { storePositions } from '../../server/db/sql/positions';
import { sweepDeliveries } from '../../server/db/sql/webhooks';
import { seedDemoIfEmpty } from '../../server/demo/seed';
import { createLogger } from '../../server/log';
import type { Position } from '../../server/protocol/position';
import { freshDatabase, tempDir } from './harness';

/** Position storage and history retention, straight against the database (its own). */
const DAY = 86_400_000;
// A minute after the demo seed placed every vehicle (at the real time of the test run): set once
// the seed is done, which on a loaded machine can itself take a minute.
let NOW: number;
let db: Database;
let drop: (() => Promise<void>) | undefined;
let vehicle: { id: string; tenantId: string };

beforeAll(async () => {
  const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
  drop = fresh?.drop;
  const log = createLogger('silent', false);
  db = await openDatabase(parseConfig({ DATA_DIR: tempDir('history'), DATABASE_URL: fresh?.url }), log);
  await seedDemoIfEmpty(db.prisma, log);
  vehicle = (await db.prisma.vehicle.findFirstOrThrow({ select: { id: true, tenantId: true } }));
  NOW = Date.now() + 60_000;
});

afterAll(async () => {
  await db?.close();
  await drop?.();
});

const at = (ts: number, lat = 52.5): Position => ({
  tenantId: vehicle.tenantId, vehicleId: vehicle.id, lat, lng: 13.4, ts, speed: 10, heading: 90, accuracy: 5, altitude: null, battery: 50, attributes: { source: 'test' },
});

async function partitions(): Promise<string[]> {
  const rows = await db.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'position_history' ORDER BY 1`,
  );
  return rows.rows.map((r) => r.name);
}

const historyCount = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM position_history')).rows[0]!.n);

describe('position storage', () => {
  it('keeps one daily partition per day of the retention window, plus two ahead and a default', async () => {
    await maintainHistoryPartitions(db.prisma, NOW, 7);
    const names = await partitions();
    expect(names).toContain('position_history_default');
    expect(names.filter((n) => n !== 'position_history_default')).toEqual(
      Array.from({ length: 9 }, (_, i) => `position_history_p${new Date(NOW + (i - 6) * DAY).toISOString().slice(0, 10).replaceAll('-', '')}`),
    );
    const again = await maintainHistoryPartitions(db.prisma, NOW, 7);
    expect(again).toEqual({ created: [], dropped: [], deletedFromDefault: 0 });
  });

  it('stores each (vehicle, timestamp) once and reports which positions were new', async () => {
    const before = await historyCount();
    expect(await storePositions(db.prisma, [at(NOW - 2000), at(NOW - 1000), at(NOW - 2000)])).toEqual([0, 1]);
    expect(await storePositions(db.prisma, [at(NOW - 1000), at(NOW - 500, 52.6)])).toEqual([1]);
    expect(await historyCount()).toBe(before + 3);
    const state = await db.pool.query('SELECT ST_Y(geom) AS lat, extract(epoch FROM ts) * 1000 AS ts FROM vehicle_states WHERE vehicle_id = $1', [vehicle.id]);
    expect(state.rows[0]).toMatchObject({ lat: 52.6 });
    expect(Number(state.rows[0].ts)).toBe(NOW - 500);
    // an older position is stored in history but never moves the current state back
    expect(await storePositions(db.prisma, [at(NOW - 60_000, 52.1)])).toEqual([0]);
    const after = await db.pool.query('SELECT ST_Y(geom) AS lat FROM vehicle_states WHERE vehicle_id = $1', [vehicle.id]);
    expect(after.rows[0].lat).toBe(52.6);
  });

  it('drops whole partitions past the retention window and expired rows of the default one', async () => {
    await storePositions(db.prisma, [at(NOW - 5 * DAY), at(NOW - 20 * DAY)]); // the second lands in the default partition
    const inDefault = async () => Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM position_history_default')).rows[0]!.n);
    expect(await inDefault()).toBe(1);
    const result = await maintainHistoryPartitions(db.prisma, NOW + 3 * DAY, 7);
    expect(result.dropped).toHaveLength(3);
    expect(result.created).toHaveLength(3);
    expect(result.deletedFromDefault).toBe(1);
    expect(await inDefault()).toBe(0);
    // the 5-day-old position was in a dropped partition (8 days old by then); today's are kept
    const left = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM position_history WHERE ts < to_timestamp($1 / 1000.0)', [NOW - DAY]);
    expect(Number(left.rows[0]!.n)).toBe(0);
    expect(await historyCount()).toBeGreaterThanOrEqual(4);
  });
});

describe('event log retention', () => {
  const eventPartitions = async () =>
    (
      await db.pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relname = 'domain_events' ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
  const month = (ms: number) => `domain_events_p${new Date(ms).toISOString().slice(0, 7).replace('-', '')}`;

  it("keeps this month's and next month's partitions, and drops whole months older than the retention window", async () => {
    // opening the database made this month's and the next one's
    expect(await eventPartitions()).toEqual(expect.arrayContaining(['domain_events_default', month(NOW), month(NOW + 31 * DAY)]));
    // ten months later with a 92-day window: the months that ended more than 92 days before are gone
    const later = NOW + 300 * DAY;
    const result = await maintainEventPartitions(db.prisma, later, 92);
    expect(result.created).toEqual(expect.arrayContaining([month(later)]));
    expect(result.dropped).toContain(month(NOW));
    const left = await eventPartitions();
    expect(left).not.toContain(month(NOW));
    expect(left).toContain(month(later));
    expect(await maintainEventPartitions(db.prisma, later, 92)).toEqual({ created: [], dropped: [] });
  });
});

describe('webhook delivery log retention', () => {
  it('deletes finished deliveries older than the cutoff, keeps newer ones and every pending one', async () => {
    const hook = (
      await db.pool.query<{ id: string }>(
        `INSERT INTO webhooks (id, tenant_id, url, secret) VALUES (gen_random_uuid(), $1, 'https://example.com/hook', 's') RETURNING id`,
        [vehicle.tenantId],
      )
    ).rows[0]!.id;
    // 12,000 old delivered (more than one sweep batch), 3 old failed, 2 old pending, 4 recent delivered
    const insert = (n: number, status: string, ageDays: number) =>
      db.pool.query(
        `INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event_type, status, created_at)
         SELECT gen_random_uuid(), $1, $2, 'geofence.entered', $3, now() - make_interval(days => $4) FROM generate_series(1, $5)`,
        [hook, vehicle.tenantId, status, ageDays, n],
      );
    await insert(12_000, 'delivered', 20);
    await insert(3, 'failed', 20);
    await insert(2, 'pending', 20);
    await insert(4, 'delivered', 1);
    expect(await sweepDeliveries(db.prisma, new Date(Date.now() - 14 * DAY))).toBe(12_003);
    const left = await db.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 GROUP BY status ORDER BY status`,
      [hook],
    );
    expect(left.rows).toEqual([{ status: 'delivered', n: 4 }, { status: 'pending', n: 2 }]);
    expect(await sweepDeliveries(db.prisma, new Date(Date.now() - 14 * DAY))).toBe(0);
  });
});
