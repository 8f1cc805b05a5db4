import { PbfWriter as Pbf } from 'pbf';

/**
 * Glyph PBFs for MapLibre's text layers, made from an outline font without a font server, a canvas
 * or native code: each glyph's outline (font units → pixels at 24 px) is flattened to segments and
 * rasterized as a signed distance field the way MapLibre's own TinySDF does (radius 8 px, cutoff
 * 0.25, 3 px buffer), then written in the `glyphs.proto` layout that fontnik and every glyph server
 * produce: `{fontstack}/{start}-{end}.pbf` with 256 code points per file.
 */

/** The size MapLibre's glyph atlas expects (`ONE_EM`). */
export const GLYPH_SIZE = 24;
/** Pixels of SDF kept around each glyph's box. */
export const GLYPH_BUFFER = 3;
const RADIUS = 8;
const CUTOFF = 0.25;
/**
 * Server glyphs' `top` is measured from a line about 27 px above the baseline (fontnik's
 * convention); MapLibre aligns its locally drawn glyphs with the same 27.5 px.
 */
const TOP_ADJUSTMENT = 27;

/** A path as opentype.js gives it (pixels, y down, baseline at y = 0). */
export type PathCommand =
  | { type: 'M' | 'L'; x: number; y: number }
  | { type: 'Q'; x1: number; y1: number; x: number; y: number }
  | { type: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number }
  | { type: 'Z' };

export interface Glyph {
  id: number;
  /** (width + 6) × (height + 6) SDF bytes; empty for blank glyphs (space). */
  bitmap: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

/** Closed polylines approximating the path (curves split in `steps` pieces). */
export function flatten(commands: PathCommand[], steps = 8): Array<Array<[number, number]>> {
  const contours: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  let x = 0;
  let y = 0;
  const close = () => {
    if (current.length > 1) contours.push(current);
    current = [];
  };
  for (const c of commands) {
    if (c.type === 'M') {
      close();
      current.push([c.x, c.y]);
    } else if (c.type === 'L') {
      current.push([c.x, c.y]);
    } else if (c.type === 'Q') {
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        current.push([u * u * x + 2 * u * t * c.x1 + t * t * c.x, u * u * y + 2 * u * t * c.y1 + t * t * c.y]);
      }
    } else if (c.type === 'C') {
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        current.push([
          u * u * u * x + 3 * u * u * t * c.x1 + 3 * u * t * t * c.x2 + t * t * t * c.x,
          u * u * u * y + 3 * u * u * t * c.y1 + 3 * u * t * t * c.y2 + t * t * t * c.y,
        ]);
      }
    } else {
      close();
      continue;
    }
    x = c.x;
    y = c.y;
  }
  close();
  return contours;
}

/** Squared distance from (px, py) to segment (ax, ay)–(bx, by). */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  let t = length2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / length2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** The glyph for code point `id` from its outline and advance (pixels at GLYPH_SIZE). */
export function rasterizeGlyph(id: number, commands: PathCommand[], advance: number): Glyph {
  const contours = flatten(commands);
  const points = contours.flat();
  const blank: Glyph = { id, bitmap: new Uint8Array(0), width: 0, height: 0, left: 0, top: -TOP_ADJUSTMENT, advance: Math.round(advance) };
  if (points.length === 0) return blank;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const left = Math.floor(Math.min(...xs));
  const topY = Math.floor(Math.min(...ys)); // y down: the glyph's top edge
  const width = Math.ceil(Math.max(...xs)) - left;
  const height = Math.ceil(Math.max(...ys)) - topY;
  if (width === 0 || height === 0) return blank;

  // Segments as a flat array: ax, ay, bx, by per segment (each contour closed).
  const segments: number[] = [];
  for (const contour of contours) {
    for (let i = 0; i < contour.length; i++) {
      const a = contour[i]!;
      const b = contour[(i + 1) % contour.length]!;
      if (a[0] !== b[0] || a[1] !== b[1]) segments.push(a[0], a[1], b[0], b[1]);
    }
  }
  const w = width + 2 * GLYPH_BUFFER;
  const h = height + 2 * GLYPH_BUFFER;
  const bitmap = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    const py = topY - GLYPH_BUFFER + j + 0.5;
    for (let i = 0; i < w; i++) {
      const px = left - GLYPH_BUFFER + i + 0.5;
      let best = Infinity;
      let winding = 0;
      for (let s = 0; s < segments.length; s += 4) {
        const ax = segments[s]!;
        const ay = segments[s + 1]!;
        const bx = segments[s + 2]!;
        const by = segments[s + 3]!;
        const d2 = segmentDistance2(px, py, ax, ay, bx, by);
        if (d2 < best) best = d2;
        // Non-zero winding (TrueType's fill rule): crossings of a ray towards +x.
        if (ay <= py ? by > py : by <= py) {
          const cross = (bx - ax) * (py - ay) - (px - ax) * (by - ay);
          if (ay <= py && cross > 0) winding++;
          else if (ay > py && cross < 0) winding--;
        }
      }
      const distance = winding !== 0 ? -Math.sqrt(best) : Math.sqrt(best);
      const value = Math.round(255 - 255 * (distance / RADIUS + CUTOFF));
      bitmap[j * w + i] = value < 0 ? 0 : value > 255 ? 255 : value;
    }
  }
  return { id, bitmap, width, height, left, top: -topY - TOP_ADJUSTMENT, advance: Math.round(advance) };
}

/** One `{start}-{end}.pbf` file: the font stack `name` and its glyphs in that range. */
export function encodeGlyphRange(name: string, start: number, glyphs: Glyph[]): Uint8Array {
  const pbf = new Pbf();
  pbf.writeMessage(1, (_: null, out: Pbf) => {
    out.writeStringField(1, name);
    out.writeStringField(2, `${start}-${start + 255}`);
    for (const glyph of glyphs) {
      out.writeMessage(3, (_g: null, o: Pbf) => {
        o.writeVarintField(1, glyph.id);
        if (glyph.bitmap.length) o.writeBytesField(2, glyph.bitmap);
        o.writeVarintField(3, glyph.width);
        o.writeVarintField(4, glyph.height);
        o.writeSVarintField(5, glyph.left);
        o.writeSVarintField(6, glyph.top);
        o.writeVarintField(7, glyph.advance);
      }, null);
    }
  }, null);
  return pbf.finish();
}
