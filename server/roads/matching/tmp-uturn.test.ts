import { it } from 'vitest';
import { buildRoadGraph } from '../graph/build';
import { latOf, lngOf, random, seg } from '../graph/fixtures';
import { METERS_PER_DEGREE, RAD } from '../graph/geo';
import { MapMatcher } from './matcher';
import { matchTrace, type TraceFix } from './trace';
const T0 = 1_700_000_000_000;
const gauss = (rnd: () => number) => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
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
it('x', () => {
  const { graph } = buildRoadGraph([seg([[0, 0], [10, 0]], { id: 1 }), seg([[10, 0], [10, 5]], { id: 2 })]);
  const fixes = drive([[1, 0], [8, 0], [2, 0]], 10, 2, 5);
  for (const sv of [0, 0.5]) {
    const result = matchTrace(new MapMatcher(graph, { alongSpeedSigmaMps: sv }), fixes);
    console.log(sv, result.lengthM, result.matches.map((m) => `${m!.fraction.toFixed(3)}/${m!.stepM?.toFixed(1)}`).join(' '));
  }
});
