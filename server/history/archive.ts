import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Prisma } from '../db/database';
import { csvCell } from './csv';

const PAGE = 20_000;
const COLUMNS = ['vehicle_id', 'tenant_id', 'ts', 'lng', 'lat', 'speed', 'heading', 'accuracy', 'altitude', 'battery', 'attributes'] as const;

interface ArchivedRow {
  vehicle_id: string;
  tenant_id: string;
  ts: Date;
  lng: number;
  lat: number;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
  altitude: number | null;
  battery: number | null;
  attributes: unknown;
}

/**
 * Writes one day's position_history partition to `<dir>/<partition>.csv.gz` (gzip CSV, a header
 * line, one row per position ordered by vehicle and time) before it is dropped
 * (HISTORY_ARCHIVE_DIR): read in keyset pages, written through gzip, renamed into place only
 * once complete — a file that exists is whole. Returns the rows written.
 */
export async function archivePartition(prisma: Prisma, partition: string, dir: string): Promise<{ file: string; rows: number }> {
  if (!/^position_history_p\d{8}$/.test(partition)) throw new Error(`not a history partition: ${partition}`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${partition}.csv.gz`);
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial);
  gzip.pipe(out);
  const write = async (text: string) => {
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  let rows = 0;
  try {
    await write(`${COLUMNS.join(',')}\n`);
    let after: { vehicleId: string; ts: Date } | null = null;
    for (;;) {
      // The partition's name is checked above (it is ours, never input).
      const page: ArchivedRow[] = after
        ? await prisma.$queryRawUnsafe<ArchivedRow[]>(
            `SELECT vehicle_id::text, tenant_id::text, ts, ST_X(geom) AS lng, ST_Y(geom) AS lat, speed, heading, accuracy, altitude, battery, attributes
             FROM "${partition}" WHERE (vehicle_id, ts) > ($1::uuid, $2::timestamptz) ORDER BY vehicle_id, ts LIMIT ${PAGE}`,
            after.vehicleId,
            after.ts.toISOString(),
          )
        : await prisma.$queryRawUnsafe<ArchivedRow[]>(
            `SELECT vehicle_id::text, tenant_id::text, ts, ST_X(geom) AS lng, ST_Y(geom) AS lat, speed, heading, accuracy, altitude, battery, attributes
             FROM "${partition}" ORDER BY vehicle_id, ts LIMIT ${PAGE}`,
          );
      let chunk = '';
      for (const r of page) {
        chunk += `${[r.vehicle_id, r.tenant_id, r.ts.toISOString(), r.lng, r.lat, r.speed, r.heading, r.accuracy, r.altitude, r.battery, r.attributes === null ? null : JSON.stringify(r.attributes)].map((v) => csvCell(v as string | number | null)).join(',')}\n`;
      }
      if (chunk) await write(chunk);
      rows += page.length;
      if (page.length < PAGE) break;
      const last = page[page.length - 1]!;
      after = { vehicleId: last.vehicle_id, ts: last.ts };
    }
    gzip.end();
    await once(out, 'finish');
    await rename(partial, file);
    return { file, rows };
  } catch (error) {
    gzip.destroy();
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
