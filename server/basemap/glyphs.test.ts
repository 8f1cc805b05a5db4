import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype from 'opentype.js';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodeGlyphRange, flatten, GLYPH_BUFFER, GLYPH_SIZE, rasterizeGlyph, type PathCommand } from './glyphs';

/** A 10×10 px square from (2, -12) to (12, -2): y down, baseline at 0. */
const square: PathCommand[] = [
  { type: 'M', x: 2, y: -12 },
  { type: 'L', x: 12, y: -12 },
  { type: 'L', x: 12, y: -2 },
  { type: 'L', x: 2, y: -2 },
  { type: 'Z' },
];

function readGlyphs(bytes: Uint8Array) {
  const pbf = new PbfReader(bytes);
  const stacks: Array<{ name: string; range: string; glyphs: Array<Record<string, unknown>> }> = [];
  pbf.readFields((tag, _stacks, p) => {
    if (tag !== 1) return;
    const stack = { name: '', range: '', glyphs: [] as Array<Record<string, unknown>> };
    p.readMessage((t, s, q) => {
      if (t === 1) s.name = q.readString();
      else if (t === 2) s.range = q.readString();
      else if (t === 3) {
        const g: Record<string, unknown> = {};
        q.readMessage((f, gg, r) => {
          if (f === 1) gg.id = r.readVarint();
          else if (f === 2) gg.bitmap = r.readBytes();
          else if (f === 3) gg.width = r.readVarint();
          else if (f === 4) gg.height = r.readVarint();
          else if (f === 5) gg.left = r.readSVarint();
          else if (f === 6) gg.top = r.readSVarint();
          else if (f === 7) gg.advance = r.readVarint();
        }, g);
        s.glyphs.push(g);
      }
    }, stack);
    stacks.push(stack);
  }, stacks);
  return stacks;
}

describe('glyph SDF', () => {
  it('flattens curves into the points they pass through', () => {
    const contour = flatten([{ type: 'M', x: 0, y: 0 }, { type: 'Q', x1: 5, y1: 10, x: 10, y: 0 }, { type: 'Z' }], 4)[0]!;
    expect(contour[0]).toEqual([0, 0]);
    expect(contour[2]).toEqual([5, 5]); // the quadratic's midpoint
    expect(contour.at(-1)).toEqual([10, 0]);
  });

  it('measures the glyph box and encodes distance: 192 on the edge, higher inside, 0 far outside', () => {
    const glyph = rasterizeGlyph(65, square, 14);
    expect(glyph).toMatchObject({ id: 65, width: 10, height: 10, left: 2, advance: 14 });
    const w = glyph.width + 2 * GLYPH_BUFFER;
    expect(glyph.bitmap.length).toBe(w * (glyph.height + 2 * GLYPH_BUFFER));
    const at = (i: number, j: number) => glyph.bitmap[j * w + i];
    const centre = at(GLYPH_BUFFER + 5, GLYPH_BUFFER + 5); // 5 px inside every edge (4.5 to the pixel centre)
    expect(centre).toBe(255); // 4.5 px in: beyond the 2 px of inside the field encodes, clamped
    // The first pixel inside the left edge is 0.5 px in, the last outside 0.5 px out: around 192.
    expect(at(GLYPH_BUFFER, GLYPH_BUFFER + 5)).toBe(Math.round(255 - 255 * (-0.5 / 8 + 0.25)));
    expect(at(GLYPH_BUFFER - 1, GLYPH_BUFFER + 5)).toBe(Math.round(255 - 255 * (0.5 / 8 + 0.25)));
    expect(at(0, 0)).toBeLessThan(150);
  });

  it('holes are outside under the non-zero rule (a ring in the opposite direction)', () => {
    const ring: PathCommand[] = [
      ...square,
      { type: 'M', x: 4, y: -10 },
      { type: 'L', x: 4, y: -4 },
      { type: 'L', x: 10, y: -4 },
      { type: 'L', x: 10, y: -10 },
      { type: 'Z' },
    ];
    const glyph = rasterizeGlyph(79, ring, 14);
    const w = glyph.width + 2 * GLYPH_BUFFER;
    const hole = glyph.bitmap[(GLYPH_BUFFER + 5) * w + GLYPH_BUFFER + 5];
    expect(hole).toBeLessThan(192);
  });

  it('blank glyphs (space) have an advance and no bitmap', () => {
    expect(rasterizeGlyph(32, [], 6.2)).toMatchObject({ width: 0, height: 0, advance: 6, bitmap: new Uint8Array(0) });
  });

  it('writes the glyphs.proto layout MapLibre reads', () => {
    const bytes = encodeGlyphRange('Noto Sans Regular', 0, [rasterizeGlyph(32, [], 6), rasterizeGlyph(65, square, 14)]);
    const stack = readGlyphs(bytes)[0]!;
    expect(stack.name).toBe('Noto Sans Regular');
    expect(stack.range).toBe('0-255');
    expect(stack.glyphs.map((g) => g.id)).toEqual([32, 65]);
    expect(stack.glyphs[1]!).toMatchObject({ width: 10, height: 10, left: 2, advance: 14 });
    expect((stack.glyphs[1]!.bitmap as Uint8Array).length).toBe(16 * 16);
  });

  it('a real letter from Noto Sans sits on the baseline with its x-height below the cap height', () => {
    const require = createRequire(import.meta.url);
    const buffer = readFileSync(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'));
    const font = opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
    const draw = (ch: string) => {
      const g = font.charToGlyph(ch);
      return rasterizeGlyph(ch.charCodeAt(0), g.getPath(0, 0, GLYPH_SIZE).commands as PathCommand[], (g.advanceWidth ?? 0) * (GLYPH_SIZE / font.unitsPerEm));
    };
    const H = draw('H');
    const x = draw('x');
    expect(H.height).toBeGreaterThanOrEqual(17);
    expect(H.height).toBeLessThanOrEqual(18);
    expect(H.top - x.top).toBeGreaterThanOrEqual(4); // caps stand higher than lowercase
    expect(H.top + 27 - H.height).toBeLessThanOrEqual(0); // bottom at (or just below) the baseline
    expect(H.advance).toBeGreaterThan(x.advance);
  });
});
