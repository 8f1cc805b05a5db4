import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Prisma } from '../../db/database';
import type { Tx } from '../../db/sql/events';
import { deleteRoadNetworkRows, lockRoadNetwork, insertAddresses, insertMapFeatures, insertRoadSegments, insertSeaFromCoastline, roadKmByClass, upsertRoadNetwork } from '../../db/sql/roads';
import type { RoadImportProgress, RoadNetworkSummary } from '../../protocol/road-network';
import { NetworkBuilder, type FeatureGeometry, type RoadNetworkData } from './builder';
import { RoadImportError } from './errors';
import { readOsm, type InputFormat } from './readers';

/** A file on disk, or a stream (an HTTP upload) with its size when known. */
export type RoadImportInput = string | { path: string } | { stream: Readable; size?: number | null; name?: string };

export interface RoadImportOptions {
  /** Stored as road_networks.source (defaults to the file name). */
  source?: string;
  onProgress?: (progress: RoadImportProgress) => void;
  /** Rows per INSERT statement. */
  batchSize?: number;
  /**
   * Runs the replacement in a transaction (default: its own, with {@link IMPORT_TRANSACTION}'s
   * limits). The REST import passes the event log's, so its audit event commits with the rows.
   */
  transact?: (work: (tx: Tx) => Promise<RoadNetworkSummary>, read: { format: InputFormat }) => Promise<RoadNetworkSummary>;
}

/** A large region takes a while on the embedded database: no 5 s default for the replacement. */
export const IMPORT_TRANSACTION = { maxWait: 60_000, timeout: 30 * 60_000 };

export interface RoadImportResult {
  summary: RoadNetworkSummary;
  format: InputFormat;
}

const DEFAULT_BATCH = 2000;
/** Bytes between two 'reading' progress reports. */
const PROGRESS_STEP = 256 * 1024;

/**
 * Reads and builds the whole input first (see ./builder.ts), then replaces the tenant's rows in
 * road_segments, map_features and addresses and its road_networks row in ONE transaction: a
 * refused or failing import leaves the previous network exactly as it was.
 * @throws RoadImportError for empty, unknown or broken input and for input without roads.
 */
export async function importRoadNetwork(prisma: Prisma, tenantId: string, input: RoadImportInput, options: RoadImportOptions = {}): Promise<RoadImportResult> {
  const { stream, size, name } = await open(input);
  const progress = options.onProgress ?? (() => {});
  let bytesRead = 0;
  let reported = 0;
  const report = (phase: RoadImportProgress['phase'], rowsWritten = 0, totalRows: number | null = null) =>
    progress({ phase, bytesRead, totalBytes: size, rowsWritten, totalRows });

  report('reading');
  const builder = new NetworkBuilder();
  const format = await readOsm(stream, builder, (n) => {
    bytesRead += n;
    if (bytesRead - reported >= PROGRESS_STEP) {
      reported = bytesRead;
      report('reading');
    }
  });
  report('building');
  const data = builder.finish();
  if (data.segments.length === 0 || !data.bbox) {
    throw new RoadImportError('NO_ROADS', `The file has no roads for vehicles (read ${data.read.nodes} nodes and ${data.read.ways} ways; footways, paths, tracks and private roads are left out).`);
  }
  const transact = options.transact ?? ((work) => prisma.$transaction(work, IMPORT_TRANSACTION));
  const summary = await transact((tx) => write(tx, tenantId, options.source ?? name, data, options.batchSize ?? DEFAULT_BATCH, (done, total) => report('writing', done, total)), { format });
  report('done', data.segments.length + data.features.length + data.addresses.length, data.segments.length + data.features.length + data.addresses.length);
  return { summary, format };
}

async function open(input: RoadImportInput): Promise<{ stream: Readable; size: number | null; name: string }> {
  if (typeof input === 'string' || 'path' in input) {
    const file = typeof input === 'string' ? input : input.path;
    const info = await stat(file);
    return { stream: createReadStream(file, { highWaterMark: 256 * 1024 }), size: info.size, name: path.basename(file) };
  }
  return { stream: input.stream, size: input.size ?? null, name: input.name ?? 'upload' };
}

async function write(
  tx: Tx,
  tenantId: string,
  source: string,
  data: RoadNetworkData,
  batch: number,
  onRows: (done: number, total: number) => void,
): Promise<RoadNetworkSummary> {
  const total = data.segments.length + data.features.length + data.addresses.length;
  let done = 0;
  // Two imports for one tenant at once would each delete only the rows they can see and
  // both insert theirs: the second waits for the first here instead.
  await lockRoadNetwork(tx, tenantId);
  await deleteRoadNetworkRows(tx, tenantId);
  onRows(done, total);
  for (let i = 0; i < data.segments.length; i += batch) {
    const rows = data.segments.slice(i, i + batch).map((s) => ({ wayId: s.wayId, name: s.name, ref: s.ref, class: s.class, maxspeedKmh: s.maxspeedKmh, oneway: s.oneway, wkt: lineWkt(s.coords) }));
    await insertRoadSegments(tx, tenantId, rows);
    onRows((done += rows.length), total);
  }
  let features = 0;
  for (let i = 0; i < data.features.length; i += batch) {
    const rows = data.features.slice(i, i + batch).map((f) => ({ layer: f.layer, kind: f.kind, name: f.name, wkt: geometryWkt(f.geometry) }));
    features += await insertMapFeatures(tx, tenantId, rows);
    onRows((done += rows.length), total);
  }
  if (data.coastlines.length > 0) {
    features += await insertSeaFromCoastline(tx, tenantId, `MULTILINESTRING(${data.coastlines.map((c) => `(${coordList(c)})`).join(',')})`, data.bbox!);
  }
  for (let i = 0; i < data.addresses.length; i += batch) {
    const rows = data.addresses.slice(i, i + batch);
    await insertAddresses(tx, tenantId, rows);
    onRows((done += rows.length), total);
  }
  const summary: RoadNetworkSummary = {
    ways: data.ways,
    segments: data.segments.length,
    kmByClass: roundValues(await roadKmByClass(tx, tenantId)),
    features,
    addresses: data.addresses.length,
    bbox: data.bbox!,
  };
  await upsertRoadNetwork(tx, tenantId, source, summary, summary.bbox);
  return summary;
}

function roundValues(km: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(km).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
}

function coordList(c: Float64Array): string {
  const parts = new Array<string>(c.length / 2);
  for (let i = 0; i < parts.length; i++) parts[i] = `${+c[2 * i]!.toFixed(7)} ${+c[2 * i + 1]!.toFixed(7)}`;
  return parts.join(',');
}

export function lineWkt(coords: Float64Array): string {
  return `LINESTRING(${coordList(coords)})`;
}

/** WKT of a feature; an Area as MULTILINESTRING, which insertMapFeatures turns into polygons (ST_BuildArea). */
export function geometryWkt(g: FeatureGeometry): string {
  if (g.type === 'Point') return `POINT(${+g.lon.toFixed(7)} ${+g.lat.toFixed(7)})`;
  if (g.type === 'Polygon') return `POLYGON((${coordList(g.ring)}))`;
  return `MULTILINESTRING(${g.lines.map((l) => `(${coordList(l)})`).join(',')})`;
}
