/**
 * Small hand-made networks for tests. Positions are given in a local grid: (x, y) → lng 10 +
 * x·0.001, lat 50 + y·0.001 (≈ 71.5 m × 111.2 m per step).
 */
import type { RoadSegmentRow } from './types';

export const lngOf = (x: number) => 10 + x * 0.001;
export const latOf = (y: number) => 50 + y * 0.001;

let nextId = 1;

export function seg(
  points: [number, number][],
  attrs: Partial<Omit<RoadSegmentRow, 'coords'>> = {},
): RoadSegmentRow {
  return {
    id: attrs.id ?? nextId++,
    wayId: attrs.wayId ?? null,
    name: attrs.name ?? null,
    ref: attrs.ref ?? null,
    class: attrs.class ?? 'residential',
    maxspeedKmh: attrs.maxspeedKmh ?? null,
    oneway: attrs.oneway ?? 0,
    coords: points.flatMap(([x, y]) => [lngOf(x), latOf(y)]),
    lengthM: attrs.lengthM ?? null,
  };
}

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An n×n grid of streets: every horizontal and vertical unit step is one segment (some with a
 * kink in the middle), a share of them one-way in a random direction, a share missing.
 */
export function randomGrid(n: number, seed: number, oneWayShare = 0.3, missingShare = 0.1): RoadSegmentRow[] {
  const rnd = random(seed);
  const rows: RoadSegmentRow[] = [];
  const classes = ['residential', 'primary', 'secondary', 'service'];
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      for (const [dx, dy] of [
        [1, 0],
        [0, 1],
      ] as const) {
        if (x + dx >= n || y + dy >= n) continue;
        if (rnd() < missingShare) continue;
        const r = rnd();
        const oneway = r < oneWayShare / 2 ? 1 : r < oneWayShare ? -1 : 0;
        const kink = rnd() < 0.3 ? [[x + dx / 2 + dy * 0.2, y + dy / 2 + dx * 0.2] as [number, number]] : [];
        rows.push(
          seg([[x, y], ...kink, [x + dx, y + dy]], {
            oneway,
            class: classes[Math.floor(rnd() * classes.length)]!,
            name: dx === 1 ? `Row ${y}` : `Column ${x}`,
          }),
        );
      }
    }
  }
  return rows;
}
