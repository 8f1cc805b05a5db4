import { buildRoadGraph } from '../server/roads/graph/build';
import { random } from '../server/roads/graph/fixtures';
import { readRoadSegmentRows } from '../server/roads/graph/from-osm';
import { RoadRouter } from '../server/roads/routing/route';
const rows = await readRoadSegmentRows('data/osm/baltimore.osm.pbf');
const g = buildRoadGraph(rows).graph;
const r = new RoadRouter(g);
const rnd = random(1);
const pt = (label: string) => { const n = Math.floor(rnd() * g.nodeCount); return { label, lng: g.nodeLng[n]!, lat: g.nodeLat[n]! }; };
const rec: [number, number, boolean][] = [];
for (let i = 0; i < 3000; i++) {
  const p = [pt('from'), pt('to')];
  const t0 = performance.now();
  const res = r.route(p, { optimize: 'time' });
  rec.push([performance.now() - t0, r.lastSettled, res.ok]);
}
const slow = rec.slice(500).sort((a, b) => b[0] - a[0]).slice(0, 15);
console.log(slow.map(([t, s, ok]) => `${t.toFixed(2)}ms settled=${s} ok=${ok} nsPer=${(t * 1e6 / Math.max(1, s)).toFixed(0)}`).join('\n'));
const okRec = rec.slice(500).filter(x => x[2]);
const tot = okRec.reduce((a, x) => a + x[0], 0), st = okRec.reduce((a, x) => a + x[1], 0);
console.log('ok mean ns/settled', (tot * 1e6 / st).toFixed(0));
