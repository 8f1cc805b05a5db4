import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { centroid, NetworkBuilder, type RoadNetworkData } from './builder';
import { RoadImportError } from './errors';
import { geometryWkt, lineWkt } from './import';
import { readOsm, sniffFormat } from './readers';

/**
 * fixtures/tiny.osm (0.001° grid; lon right, lat up):
 *
 *   Main Street 100: 1-2-3-4-5, crossed at 3 by the oneway Cross Street 101 (6-3-7); a footway
 *   102 (8-4-9) touches it at 4, which is therefore no junction. Motorway 103 (10-11, implied
 *   oneway) meets service road 104 (11-12-5) end to end, and 104 ends at Main Street's end 5.
 *   Roundabout 105 (20-21-22-20) is joined at 21 by tertiary 106 (23-21, oneway=-1). Way 107
 *   (30-31-999-32-33) refers to a node the file lacks. 108 is private, 109 reversible: both
 *   left out. 110 has maxspeed "25 mph". Building 200 has an address; node 60 is a suburb,
 *   node 61 a named café with an address. Relation 300 is ignored.
 */
const TINY = readFileSync(new URL('./fixtures/tiny.osm', import.meta.url));

async function build(bytes: Buffer | string): Promise<RoadNetworkData> {
  const builder = new NetworkBuilder();
  await readOsm(Readable.from([typeof bytes === 'string' ? Buffer.from(bytes) : bytes]), builder);
  return builder.finish();
}

function nodesOf(d: RoadNetworkData, wayId: number): string[] {
  return d.segments.filter((s) => s.wayId === wayId).map((s) => Array.from({ length: s.coords.length / 2 }, (_, i) => `${s.coords[2 * i]},${s.coords[2 * i + 1]}`).join(' '));
}

describe('import of a hand-made OSM XML network', () => {
  it('splits road ways at junctions with other road ways only', async () => {
    const d = await build(TINY);
    expect(nodesOf(d, 100)).toEqual(['0.001,0.001 0.002,0.001 0.003,0.001', '0.003,0.001 0.004,0.001 0.005,0.001']);
    expect(nodesOf(d, 101)).toEqual(['0.003,0 0.003,0.001', '0.003,0.001 0.003,0.002']);
    expect(nodesOf(d, 103)).toEqual(['0.005,0.003 0.006,0.003']);
    expect(nodesOf(d, 104)).toEqual(['0.006,0.003 0.006,0.002 0.005,0.001']);
    expect(nodesOf(d, 105)).toEqual(['0.001,0.005 0.002,0.005', '0.002,0.005 0.0015,0.006 0.001,0.005']);
    expect(nodesOf(d, 107)).toEqual(['0.001,0.007 0.002,0.007', '0.004,0.007 0.005,0.007']);
    expect(d.segments).toHaveLength(12);
    expect(d.ways).toBe(8);
    expect(d.read).toEqual({ nodes: 32, ways: 12 });
  });

  it('keeps class, name, ref, oneway and maxspeed per segment, and leaves out private and reversible ways', async () => {
    const d = await build(TINY);
    const by = (id: number) => d.segments.find((s) => s.wayId === id)!;
    expect(by(100)).toMatchObject({ class: 'residential', name: 'Main Street', ref: null, oneway: 0, maxspeedKmh: null });
    expect(by(101)).toMatchObject({ oneway: 1, name: 'Cross Street' });
    expect(by(103)).toMatchObject({ class: 'motorway', ref: 'I 1', oneway: 1 });
    expect(by(105)).toMatchObject({ class: 'primary', oneway: 1 });
    expect(by(106)).toMatchObject({ class: 'tertiary', oneway: -1 });
    expect(by(110).maxspeedKmh).toBeCloseTo(40.2336, 6);
    expect(d.segments.some((s) => s.wayId === 102 || s.wayId === 108 || s.wayId === 109)).toBe(false);
    expect(d.bbox).toEqual([0.001, 0, 0.006, 0.009]);
  });

  it('makes features of the building, the suburb and the café, and addresses of the café and the building', async () => {
    const d = await build(TINY);
    expect(d.features.map((f) => [f.layer, f.kind, f.name, f.geometry.type])).toEqual([
      ['place', 'suburb', 'Tinytown', 'Point'],
      ['poi', 'cafe', 'Corner Café', 'Point'],
      ['building', 'building', null, 'Polygon'],
    ]);
    expect(d.addresses).toHaveLength(2);
    expect(d.addresses[0]).toEqual({ housenumber: '3', street: 'Main Street', postcode: '00001', city: null, name: 'Corner Café', lon: 0.005, lat: 0.004 });
    expect(d.addresses[1]).toMatchObject({ housenumber: '7', street: 'Main Street', city: 'Tinytown', name: null });
    expect(d.addresses[1]!.lon).toBeCloseTo(0.0015, 9);
    expect(d.addresses[1]!.lat).toBeCloseTo(0.0095, 9);
  });

  it('reads the same network from gzip XML and from nodes given after the ways', async () => {
    const plain = await build(TINY);
    const gz = await build(gzipSync(TINY));
    expect(gz.segments.map((s) => [s.wayId, Array.from(s.coords)])).toEqual(plain.segments.map((s) => [s.wayId, Array.from(s.coords)]));
    const text = TINY.toString('utf8');
    const NODE = /<node[^>]*\/>|<node[^>]*[^/]>[\s\S]*?<\/node>/g;
    const nodes = text.match(NODE)!;
    expect(nodes).toHaveLength(32);
    const shuffled = text.replace(NODE, '').replace('</osm>', nodes.reverse().join('\n') + '\n</osm>');
    const late = await build(shuffled);
    expect(late.segments).toHaveLength(12);
    expect(late.bbox).toEqual(plain.bbox);
  });

  it('reads a GeoJSON FeatureCollection, joining lines that share a vertex', async () => {
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { highway: 'primary', name: 'A', maxspeed: 50, oneway: true, way_id: 7 }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 0], [2, 0]] } },
        { type: 'Feature', properties: { name: 'B' }, geometry: { type: 'LineString', coordinates: [[1, -1], [1, 0], [1, 1]] } },
        { type: 'Feature', properties: { highway: 'footway' }, geometry: { type: 'LineString', coordinates: [[2, 0], [3, 0]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [5, 5] } },
      ],
    });
    const d = await build(geojson);
    expect(d.segments.map((s) => [s.wayId, s.name, s.class, s.oneway, s.maxspeedKmh, Array.from(s.coords)])).toEqual([
      [7, 'A', 'primary', 1, 50, [0, 0, 1, 0]],
      [7, 'A', 'primary', 1, 50, [1, 0, 2, 0]],
      [null, 'B', 'road', 0, null, [1, -1, 1, 0]],
      [null, 'B', 'road', 0, null, [1, 0, 1, 1]],
    ]);
  });

  it('turns a tagged multipolygon relation into an area of its member ways, and skips one missing a member', async () => {
    // A lake: outer ring from two open untagged ways (1-2-3, 3-4-1), an island (5-6-7-5) inside.
    const xml = `<osm version="0.6">
      <node id="1" lon="0" lat="0"/><node id="2" lon="1" lat="0"/><node id="3" lon="1" lat="1"/><node id="4" lon="0" lat="1"/>
      <node id="5" lon="0.4" lat="0.4"/><node id="6" lon="0.6" lat="0.4"/><node id="7" lon="0.5" lat="0.6"/>
      <node id="8" lon="2" lat="0"/><node id="9" lon="3" lat="0"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
      <way id="11"><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
      <way id="12"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="5"/></way>
      <way id="13"><nd ref="8"/><nd ref="9"/><tag k="highway" v="residential"/></way>
      <relation id="20"><member type="way" ref="10" role="outer"/><member type="way" ref="11" role="outer"/><member type="way" ref="12" role="inner"/>
        <tag k="type" v="multipolygon"/><tag k="natural" v="water"/><tag k="name" v="Lake"/></relation>
      <relation id="21"><member type="way" ref="10" role="outer"/><member type="way" ref="99" role="outer"/>
        <tag k="type" v="multipolygon"/><tag k="leisure" v="park"/></relation>
      <relation id="22"><member type="way" ref="12" role="outer"/><tag k="type" v="route"/></relation>
    </osm>`;
    const d = await build(xml);
    expect(d.features).toHaveLength(1);
    const lake = d.features[0]!;
    expect(lake).toMatchObject({ layer: 'water', kind: 'water', name: 'Lake' });
    expect(geometryWkt(lake.geometry)).toBe('MULTILINESTRING((0 0,1 0,1 1),(1 1,0 1,0 0),(0.4 0.4,0.6 0.4,0.5 0.6,0.4 0.4))');
    expect(d.segments).toHaveLength(1);
  });

  it('keeps coastline ways as lines for the sea (one with a node the file lacks is left out), and makes no feature of them', async () => {
    const xml = `<osm version="0.6">
      <node id="1" lon="0" lat="0"/><node id="2" lon="1" lat="0"/><node id="3" lon="2" lat="0.5"/><node id="8" lon="5" lat="0"/><node id="9" lon="6" lat="0"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="natural" v="coastline"/></way>
      <way id="11"><nd ref="3"/><nd ref="77"/><tag k="natural" v="coastline"/></way>
      <way id="13"><nd ref="8"/><nd ref="9"/><tag k="highway" v="residential"/></way>
    </osm>`;
    const d = await build(xml);
    expect(d.coastlines.map((c) => [...c])).toEqual([[0, 0, 1, 0, 2, 0.5]]);
    expect(d.features).toEqual([]);
  });

  it.each([
    ['an empty file', '', 'EMPTY'],
    ['blanks only', '   \n', 'UNSUPPORTED_FORMAT'],
    ['text', 'hello world', 'UNSUPPORTED_FORMAT'],
    ['HTML', '<html><body>no</body></html>', 'UNSUPPORTED_FORMAT'],
    ['cut-off XML', TINY.subarray(0, 900).toString(), 'MALFORMED'],
    ['broken JSON', '{"type": "FeatureCollection", ', 'MALFORMED'],
    ['JSON that is not a FeatureCollection', '{"type": "Feature"}', 'UNSUPPORTED_FORMAT'],
    ['a PBF header followed by garbage', Buffer.concat([Buffer.from([0, 0, 0, 13, 0x0a, 9]), Buffer.from('OSMHeader'), Buffer.from([0x18, 0x7f, 1, 2, 3])]), 'MALFORMED'],
  ])('refuses %s with a RoadImportError', async (_what, input, code) => {
    const error = await build(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoadImportError);
    expect((error as RoadImportError).code).toBe(code);
    expect((error as RoadImportError).message.length).toBeGreaterThan(10);
  });
});

describe('sniffFormat', () => {
  it('recognizes the formats by their first bytes', () => {
    expect(sniffFormat(Buffer.from('<?xml version="1.0"?><osm>'))).toBe('xml');
    expect(sniffFormat(Buffer.from('\ufeff  <osm>'))).toBe('xml');
    expect(sniffFormat(Buffer.from('\n {"type":"FeatureCollection"}'))).toBe('geojson');
    expect(sniffFormat(readFileSync(new URL('../../../data/osm/baltimore.osm.pbf', import.meta.url)).subarray(0, 64))).toBe('pbf');
    expect(sniffFormat(Buffer.from('PK\u0003\u0004'))).toBeNull();
  });
});

describe('WKT', () => {
  it('writes lines, points and rings with 7 decimals at most', () => {
    expect(lineWkt(new Float64Array([-76.61234567891, 39.1, -76.5, 39.2]))).toBe('LINESTRING(-76.6123457 39.1,-76.5 39.2)');
    expect(geometryWkt({ type: 'Point', lon: 1.5, lat: 2 })).toBe('POINT(1.5 2)');
    expect(geometryWkt({ type: 'Polygon', ring: new Float64Array([0, 0, 1, 0, 1, 1, 0, 0]) })).toBe('POLYGON((0 0,1 0,1 1,0 0))');
  });

  it('centroid of a square is its center, of a degenerate ring the vertex mean', () => {
    expect(centroid(new Float64Array([0, 0, 2, 0, 2, 2, 0, 2, 0, 0]))).toEqual({ lon: 1, lat: 1 });
    expect(centroid(new Float64Array([0, 0, 1, 1, 2, 2, 0, 0]))).toEqual({ lon: 1, lat: 1 });
  });
});
