import { describe, expect, it } from 'vitest';
import { buildRoadGraph } from '../graph/build';
import { latOf, lngOf, random, randomGrid, seg } from '../graph/fixtures';
import { METERS_PER_DEGREE, RAD } from '../graph/geo';
import { Searcher } from '../routing/search';
import { JITTER, LATE, MapMatcher, MATCHED, MatchTrack, TRACK_BYTES, UNMATCHED } from './matcher';
import { routedPieces, sampleDrive } from './synthetic';
import { matchTrace, type TraceFix } from './trace';

const T0 = 1_700_000_000_000;
const gauss = (rnd: () => number) => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

/** Fixes along straight legs between grid points, every `stepS` seconds at `mps`, with σ noise. */
function drive(points: [number, number][], mps: number, stepS: number, sigmaM: number, seed = 1, t0 = T0): TraceFix[] {
  const rnd = random(seed);
  const out: TraceFix[] = [];
  let t = 0;
  let carry = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[i + 1]!;
    const len = Math.hypot((x1 - x0) * 71.5, (y1 - y0) * 111.2);
    for (let d = carry; d <= len; d += mps * stepS, t += stepS) {
      const k = d / len;
      const lat = latOf(y0 + (y1 - y0) * k) + (gauss(rnd) * sigmaM) / METERS_PER_DEGREE;
      const lng = lngOf(x0 + (x1 - x0) * k) + (gauss(rnd) * sigmaM) / (METERS_PER_DEGREE * Math.cos(50 * RAD));
      out.push({ lng, lat, ts: t0 + t * 1000, speed: mps * 3.6, accuracy: sigmaM || 5 });
      carry = d + mps * stepS - len;
    }
  }
  return out;
}

describe('MapMatcher', () => {
  it('keeps to the main road when a service lane runs alongside', () => {
    const rows = [
      seg([[0, 0], [10, 0]], { id: 1, name: 'Main Street', class: 'primary', maxspeedKmh: 50 }),
      // A lane ≈33 m north from x 1 to 9, joined to the street at both ends.
      seg([[1, 0], [1, 0.3]], { id: 2, class: 'service' }),
      seg([[1, 0.3], [9, 0.3]], { id: 3, class: 'service', name: 'Lane' }),
      seg([[9, 0.3], [9, 0]], { id: 4, class: 'service' }),
    ];
    const { graph } = buildRoadGraph(rows);
    const matcher = new MapMatcher(graph);
    for (const stepS of [1, 5, 15]) {
      const fixes = drive([[0, 0], [10, 0]], 12, stepS, 10, stepS);
      const { matches } = matchTrace(matcher, fixes);
      const onMain = matches.filter((m) => m?.segmentId === 1).length;
      expect(onMain / fixes.length).toBeGreaterThanOrEqual(0.95);
      expect(matches.find((m) => m?.segmentId === 1)).toMatchObject({ name: 'Main Street', class: 'primary', limitKmh: 50 });
    }
  });

  it('follows a U-turn in the middle of a street and measures the way there and back', () => {
    const { graph } = buildRoadGraph([seg([[0, 0], [10, 0]], { id: 1 }), seg([[10, 0], [10, 5]], { id: 2 })]);
    const fixes = drive([[1, 0], [8, 0], [2, 0]], 10, 2, 5);
    const result = matchTrace(new MapMatcher(graph), fixes);
    expect(result.matches.every((m) => m?.segmentId === 1)).toBe(true);
    const driven = 13 * 71.5;
    expect(Math.abs(result.lengthM - driven) / driven).toBeLessThan(0.05);
    // The matched line turns back: its westmost point after the eastmost one.
    const xs = result.line.map((c) => c[0]);
    expect(Math.max(...xs)).toBeGreaterThan(lngOf(7.5));
    expect(xs.at(-1)!).toBeLessThan(lngOf(2.5));
  });

  it('chooses the carriageway that runs the way the vehicle goes', () => {
    // Two one-way carriageways 22 m apart; the fixes run east exactly between them.
    const { graph } = buildRoadGraph([
      seg([[0, 0], [10, 0]], { id: 1, oneway: 1, name: 'Eastbound' }),
      seg([[10, 0.2], [0, 0.2]], { id: 2, oneway: 1, name: 'Westbound' }),
      seg([[0, 0], [0, 0.2]], { id: 3 }),
      seg([[10, 0], [10, 0.2]], { id: 4 }),
    ]);
    const fixes = drive([[0.5, 0.1], [9.5, 0.1]], 14, 3, 2);
    const { matches } = matchTrace(new MapMatcher(graph), fixes);
    const east = matches.filter((m) => m?.name === 'Eastbound').length;
    expect(east / matches.length).toBeGreaterThanOrEqual(0.9);
  });

  it('restarts after a gap over 60 s, and says where a track starts', () => {
    const { graph } = buildRoadGraph([seg([[0, 0], [20, 0]], { id: 1 })]);
    const first = drive([[0, 0], [5, 0]], 10, 5, 3, 1);
    const second = drive([[10, 0], [15, 0]], 10, 5, 3, 2, first.at(-1)!.ts + 90_000);
    const result = matchTrace(new MapMatcher(graph), [...first, ...second]);
    expect(result.matches.every((m) => m !== null)).toBe(true);
    expect(result.matches[0]!.stepM).toBeNull();
    expect(result.matches[first.length]!.stepM).toBeNull();
    expect(result.matches[first.length + 1]!.stepM).not.toBeNull();
    // The gap is not counted as driven.
    expect(result.lengthM).toBeLessThan(12 * 71.5);
  });

  it('carries on through a gap under 60 s', () => {
    const { graph } = buildRoadGraph([seg([[0, 0], [20, 0]], { id: 1 })]);
    const first = drive([[0, 0], [5, 0]], 10, 5, 3, 1);
    const second = drive([[8, 0], [12, 0]], 10, 5, 3, 2, first.at(-1)!.ts + 40_000);
    const result = matchTrace(new MapMatcher(graph), [...first, ...second]);
    expect(result.matches[first.length]!.stepM).toBeGreaterThan(100);
  });

  it('ignores late positions and keeps a standing vehicle on its match', () => {
    const { graph } = buildRoadGraph([seg([[0, 0], [10, 0]], { id: 1 }), seg([[0, 0.5], [10, 0.5]], { id: 2 })]);
    const matcher = new MapMatcher(graph);
    const track = new MatchTrack();
    expect(matcher.push(track, 0, lngOf(2), latOf(0.05), T0, 30, 5)).toBe(MATCHED);
    expect(matcher.push(track, 1, lngOf(2.5), latOf(0.05), T0 + 5000, 30, 5)).toBe(MATCHED);
    const head = [track.headSeg, track.headFrac];
    expect(matcher.push(track, 2, lngOf(9), latOf(0.5), T0 + 1000, 30, 5)).toBe(LATE);
    expect(matcher.push(track, 3, lngOf(9), latOf(0.5), T0 + 5000, 30, 5)).toBe(LATE);
    expect([track.headSeg, track.headFrac]).toEqual(head);
    // Standing still: a few meters of jitter each way keeps the match.
    for (let i = 0; i < 10; i++) {
      const dx = ((i % 3) - 1) * 2 / (METERS_PER_DEGREE * Math.cos(50 * RAD));
      expect(matcher.push(track, 4 + i, lngOf(2.5) + dx, latOf(0.05), T0 + 6000 + i * 1000, 0, 5)).toBe(JITTER);
      expect([track.headSeg, track.headFrac]).toEqual(head);
    }
  });

  it('says unmatched off the network, then matches again', () => {
    const { graph } = buildRoadGraph([seg([[0, 0], [10, 0]], { id: 1 })]);
    const matcher = new MapMatcher(graph);
    const track = new MatchTrack();
    expect(matcher.push(track, 0, lngOf(1), latOf(0), T0, 30, 5)).toBe(MATCHED);
    expect(matcher.push(track, 1, lngOf(2), latOf(5), T0 + 5000, 30, 5)).toBe(UNMATCHED);
    expect(track.headSeg).toBe(-1);
    expect(matcher.push(track, 2, lngOf(2), latOf(0), T0 + 10_000, 30, 5)).toBe(MATCHED);
    expect(track.headSeg).toBe(0);
  });

  it('matches routed drives sampled every 1 to 30 s on a grid', () => {
    const { graph } = buildRoadGraph(randomGrid(12, 7, 0.3, 0.05));
    const matcher = new MapMatcher(graph);
    const searcher = new Searcher(graph);
    const rnd = random(11);
    for (const intervalS of [1, 5, 15, 30]) {
      let fixes = 0;
      let right = 0;
      let drives = 0;
      while (drives < 8) {
        const p = routedPieces(graph, searcher, [lngOf(rnd() * 11), latOf(rnd() * 11)], [lngOf(rnd() * 11), latOf(rnd() * 11)]);
        if (!p || p.length < 5) continue;
        drives++;
        const samples = sampleDrive(graph, p, rnd, { intervalS, sigmaM: 5, outlierShare: 0, outlierM: 0 });
        const { matches } = matchTrace(matcher, samples, false);
        samples.forEach((s, i) => {
          fixes++;
          const m = matches[i];
          if (m && (m.segment === s.segment || p[s.piece - 1]?.segment === m.segment || p[s.piece + 1]?.segment === m.segment)) right++;
        });
      }
      expect(right / fixes, `every ${intervalS} s`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('holds about a kilobyte per vehicle', () => {
    expect(TRACK_BYTES).toBeLessThanOrEqual(1200);
  });
});
