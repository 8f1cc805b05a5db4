/**
 * A tiny but valid PMTiles v3 archive (spec: github.com/protomaps/PMTiles, spec/v3): 127-byte
 * header, root directory, JSON metadata, no leaf directories, one tile at z0, nothing compressed.
 * Written by hand because the pmtiles npm package only reads archives.
 */
function varints(values: number[]): number[] {
  const out: number[] = [];
  for (let value of values) {
    while (value >= 0x80) {
      out.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    out.push(value);
  }
  return out;
}

export function tinyPmtiles(tile: Uint8Array, metadata: Record<string, unknown> = { name: 'tiny' }): Uint8Array {
  // One entry: tile id 0 (z0/0/0), run length 1, its length, offset 0 (written as offset + 1).
  const directory = Uint8Array.from(varints([1, 0, 1, tile.byteLength, 0 + 1]));
  const meta = new TextEncoder().encode(JSON.stringify(metadata));
  const HEADER = 127;
  const rootOffset = HEADER;
  const metaOffset = rootOffset + directory.byteLength;
  const tileOffset = metaOffset + meta.byteLength;
  const file = new Uint8Array(tileOffset + tile.byteLength);
  const view = new DataView(file.buffer);
  file.set(new TextEncoder().encode('PMTiles'), 0);
  view.setUint8(7, 3); // spec version
  const u64 = (at: number, value: number) => view.setBigUint64(at, BigInt(value), true);
  u64(8, rootOffset);
  u64(16, directory.byteLength);
  u64(24, metaOffset);
  u64(32, meta.byteLength);
  u64(40, tileOffset); // leaf directories: none
  u64(48, 0);
  u64(56, tileOffset);
  u64(64, tile.byteLength);
  u64(72, 1); // addressed tiles
  u64(80, 1); // tile entries
  u64(88, 1); // tile contents
  view.setUint8(96, 1); // clustered
  view.setUint8(97, 1); // internal compression: none
  view.setUint8(98, 1); // tile compression: none
  view.setUint8(99, 1); // tile type: MVT
  view.setUint8(100, 0); // min zoom
  view.setUint8(101, 0); // max zoom
  view.setInt32(102, -180e7, true);
  view.setInt32(106, -85e7, true);
  view.setInt32(110, 180e7, true);
  view.setInt32(114, 85e7, true);
  view.setUint8(118, 0);
  view.setInt32(119, 0, true);
  view.setInt32(123, 0, true);
  file.set(directory, rootOffset);
  file.set(meta, metaOffset);
  file.set(tile, tileOffset);
  return file;
}
