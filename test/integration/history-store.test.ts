import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { maintainHistoryPartitions } from '../../server/db/partitions';
import { storePositions } from '../../server/db/sql/positions';
import { archivePartition } from '../../server/history/archive';
import { rebuildHistory } from '../../server/history/rebuild';
import { DEFAULT_SEGMENT_OPTIONS, MovementSegmenter, type Segments } from '../../server/history/segment';
import { HistoryService } from '../../server/history/service';
import { createLogger } from '../../server/log';
import type { Position } from '../../server/protocol/position';
import { freshDatabase, tempDir } from './harness';

/**
 * The derived history's storage against a PostgreSQL server of its own: `history rebuild`
 * derives journeys, stops and daily summaries from stored positions (twice gives the same), and
 * HISTORY_ARCHIVE_DIR keeps a day's positions as gzip CSV before its partition is dropped — or
 * keeps the partition when the archive cannot be written; a journey under way across a graceful
 * restart stays one journey (history_open_segments). Runs with TEST_DATABASE_URL (the
 * embedded database is the shared server's).
 */
const URL = process.env.TEST_DATABASE_URL;
const DAY_MS = 86_400_000;
if (!URL) console.log('history-store: skipped — set TEST_DATABASE_URL to run it against a PostgreSQL server');

describe.skipIf(!URL)('history storage: rebuild, archive and restarts', () => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  const tenantId = randomUUID();
  const vehicleId = randomUUID();
  const now = Date.now();
  const today = now - (now % DAY_MS);

  /** Parked 10 min, 3 km at 36 km/h, parked 15 min, 2 km, parked 10 min; fixes every 10 s from `t0`. */
  function day(t0: number): Position[] {
    const out: Position[] = [];
    let ts = t0;
    let lng = -76.6;
    const fix = (speed: number) => out.push({ tenantId, vehicleId, lat: 39.29, lng, ts: (ts += 10_000), speed, heading: 90, accuracy: 5, altitude: null, battery: null, attributes: null });
    const park = (s: number) => {
      for (let k = 0; k < s; k += 10) fix(0);
    };
    const drive = (m: number) => {
      for (let d = 100; d <= m; d += 100) {
        lng += 100 / 86_200;
        fix(36);
      }
    };
    park(600);
    drive(3000);
    park(900);
    drive(2000);
    park(600);
    return out;
  }

  beforeAll(async () => {
    const fresh = await freshDatabase(URL!);
    drop = fresh.drop;
    db = await openDatabase(parseConfig({ DATA_DIR: tempDir('history-store'), DATABASE_URL: fresh.url, HISTORY_RETENTION_DAYS: '7' }), createLogger('silent', false));
    await db.prisma.$executeRaw`INSERT INTO tenants (id, name, slug) VALUES (${tenantId}::uuid, 'History store', ${`hist-${tenantId.slice(0, 8)}`})`;
    await db.prisma.$executeRaw`INSERT INTO vehicles (id, tenant_id, name, type, device_id, device_token) VALUES (${vehicleId}::uuid, ${tenantId}::uuid, 'Van 1', 'van', 'hist-van', ${`tok-${vehicleId}`})`;
  });

  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('rebuild derives journeys, stops and the day summary from stored positions; twice gives the same', async () => {
    const t0 = today - 3 * DAY_MS + 8 * 3_600_000;
    await storePositions(db.prisma, day(t0));
    const range = { from: today - 3 * DAY_MS, to: today - 2 * DAY_MS, tenantId, segment: DEFAULT_SEGMENT_OPTIONS };
    const first = await rebuildHistory(db.prisma, range);
    expect(first).toMatchObject({ positions: 60 + 30 + 90 + 20 + 60, trips: 2, stops: 3 });
    const again = await rebuildHistory(db.prisma, range);
    expect(again).toMatchObject({ trips: 2, stops: 3 });
    const trips = await db.pool.query<{ distance_m: number }>('SELECT distance_m FROM vehicle_trips WHERE vehicle_id = $1 ORDER BY start_ts', [vehicleId]);
    expect(trips.rows.map((r) => Math.round(r.distance_m / 100) / 10)).toEqual([3, 2]);
    const days = await db.pool.query<{ trips: number; distance_m: number; stops: number }>(
      "SELECT trips, distance_m, stops FROM history_days WHERE subject_kind = 'vehicle' AND subject_id = $1",
      [vehicleId],
    );
    expect(days.rows).toHaveLength(1);
    expect(days.rows[0]!.trips).toBe(2);
    expect(days.rows[0]!.stops).toBe(3);
    expect(days.rows[0]!.distance_m).toBeCloseTo(trips.rows.reduce((s, r) => s + r.distance_m, 0), 6);
  });

  it('a day past retention is archived as gzip CSV before its partition is dropped', async () => {
    // Partitions reaching back 11 days, then a day of positions 10 days ago.
    await maintainHistoryPartitions(db.prisma, now - 5 * DAY_MS, 7);
    const old = today - 10 * DAY_MS;
    const positions = day(old + 8 * 3_600_000);
    await storePositions(db.prisma, positions);
    const partition = `position_history_p${new Date(old).toISOString().slice(0, 10).replaceAll('-', '')}`;

    // An archive that cannot be written keeps the partition.
    const blocked = path.join(tempDir('history-archive-blocked'), 'not-a-dir');
    writeFileSync(blocked, 'a file where the directory should be');
    const refused = await maintainHistoryPartitions(db.prisma, now, 7, 2, (name) => archivePartition(db.prisma, name, blocked).then(() => undefined));
    expect(refused.kept?.map((k) => k.partition)).toContain(partition);
    expect(refused.dropped).not.toContain(partition);

    const dir = tempDir('history-archive');
    const done = await maintainHistoryPartitions(db.prisma, now, 7, 2, (name) => archivePartition(db.prisma, name, dir).then(() => undefined));
    expect(done.dropped).toContain(partition);
    const file = path.join(dir, `${partition}.csv.gz`);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('vehicle_id,tenant_id,ts,lng,lat,speed,heading,accuracy,altitude,battery,attributes');
    expect(lines).toHaveLength(positions.length + 1);
    const [vehicle, tenant, ts, lng, lat, speed] = lines[1]!.split(',');
    expect([vehicle, tenant, ts]).toEqual([vehicleId, tenantId, new Date(positions[0]!.ts).toISOString()]);
    expect(Number(lng)).toBeCloseTo(positions[0]!.lng, 9);
    expect(Number(lat)).toBeCloseTo(39.29, 9);
    expect(Number(speed)).toBe(0);
    // The derived journeys of other days stay.
    const trips = await db.pool.query('SELECT 1 FROM vehicle_trips WHERE vehicle_id = $1', [vehicleId]);
    expect(trips.rowCount).toBe(2);
  });

  it('a journey under way across a graceful restart is one journey with the whole distance; start takes the saved states back and deletes them', async () => {
    // A vehicle of its own (the tests above count the first one's journeys), yesterday.
    const van = randomUUID();
    await db.prisma.$executeRaw`INSERT INTO vehicles (id, tenant_id, name, type, device_id, device_token) VALUES (${van}::uuid, ${tenantId}::uuid, 'Van 2', 'van', 'hist-van-2', ${`tok-${van}`})`;
    const positions: Position[] = [];
    let ts = today - DAY_MS + 8 * 3_600_000;
    let lng = -76.6;
    const fix = (speed: number) => positions.push({ tenantId, vehicleId: van, lat: 39.29, lng, ts: (ts += 10_000), speed, heading: 90, accuracy: 5, altitude: null, battery: null, attributes: null });
    for (let k = 0; k < 600; k += 10) fix(0);
    for (let d = 100; d <= 6000; d += 100) {
      lng += 100 / 86_200;
      fix(36);
    }
    for (let k = 0; k < 600; k += 10) fix(0);
    // What one segmenter derives from all of it, without a restart.
    const expected: Segments = { trips: [], stops: [] };
    const reference = new MovementSegmenter(DEFAULT_SEGMENT_OPTIONS);
    for (const p of positions) reference.observe(p, expected);
    expect(expected.trips).toHaveLength(1);
    const journey = expected.trips[0]!;

    const options = { log: createLogger('silent', false), segment: DEFAULT_SEGMENT_OPTIONS, driverOf: () => null };
    const cut = 60 + 30; // half way through the journey (3 km of 6)
    const first = new HistoryService(db.prisma, options);
    await first.start();
    first.stage.observe(positions.slice(0, cut));
    await first.stop(); // graceful: writes what is pending, saves what is under way
    const saved = await db.pool.query<{ tenant_id: string; state: { version: number; last: { ts: number }; trip: unknown } }>(
      'SELECT tenant_id, state FROM history_open_segments WHERE vehicle_id = $1',
      [van],
    );
    expect(saved.rows).toHaveLength(1);
    expect(saved.rows[0]!.tenant_id).toBe(tenantId);
    expect(saved.rows[0]!.state).toMatchObject({ version: 1, last: { ts: positions[cut - 1]!.ts } });
    expect(saved.rows[0]!.state.trip).not.toBeNull();
    const before = await db.pool.query('SELECT 1 FROM vehicle_trips WHERE vehicle_id = $1', [van]);
    expect(before.rowCount).toBe(0);

    const second = new HistoryService(db.prisma, options);
    await second.start();
    const left = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM history_open_segments');
    expect(Number(left.rows[0]!.n)).toBe(0);
    second.stage.observe(positions.slice(cut));
    await second.flush();
    await second.stop();

    const trips = await db.pool.query<{ start_ms: number; end_ms: number; distance_m: number; driving_s: number; positions: number }>(
      `SELECT round(extract(epoch FROM start_ts) * 1000)::float8 AS start_ms, round(extract(epoch FROM end_ts) * 1000)::float8 AS end_ms,
              distance_m, driving_s, positions
       FROM vehicle_trips WHERE vehicle_id = $1`,
      [van],
    );
    expect(trips.rows).toHaveLength(1);
    const row = trips.rows[0]!;
    expect([row.start_ms, row.end_ms]).toEqual([journey.startTs, journey.endTs]);
    expect(row.distance_m).toBeCloseTo(journey.distanceM, 6);
    expect(row.distance_m).toBeGreaterThan(5900);
    expect([row.driving_s, row.positions]).toEqual([journey.drivingS, journey.positions]);
    const days = await db.pool.query<{ trips: number; distance_m: number }>(
      "SELECT trips, distance_m FROM history_days WHERE subject_kind = 'vehicle' AND subject_id = $1",
      [van],
    );
    expect(days.rows.map((d) => d.trips)).toEqual([1]);
    expect(days.rows[0]!.distance_m).toBeCloseTo(journey.distanceM, 6);
  });
});
