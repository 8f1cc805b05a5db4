import { describe, expect, it } from 'vitest';
import { buildRoadGraph } from '../roads/graph/build';
import { latOf, lngOf, seg } from '../roads/graph/fixtures';
import { RoadRouter } from '../roads/routing/route';
import { STATE_STOPPED } from './drive-schedule';
import { haversineMeters } from './path-walker';
import { depotTours, MAX_TOUR_POINTS, planRoadFleet, RoadFleetSimulation, type Place, type RouteLine } from './road-fleet';
import { limitAt, type Tour } from './tour';

/**
 * A 12 × 12 grid of named residential streets (30 km/h) crossed by a primary road with a posted
 * 60 km/h (row 6) and a 50 km/h secondary (column 6).
 */
function grid(): RoadRouter {
  const rows = [];
  for (let y = 0; y <= 12; y++) {
    const attrs = { name: `Street ${y}`, ...(y === 6 ? { class: 'primary', maxspeedKmh: 60 } : {}) };
    for (let x = 0; x < 12; x++) rows.push(seg([[x, y], [x + 1, y]], attrs));
  }
  for (let x = 0; x <= 12; x++) {
    const attrs = { name: `Avenue ${x}`, ...(x === 6 ? { class: 'secondary' } : {}) };
    for (let y = 0; y < 12; y++) rows.push(seg([[x, y], [x, y + 1]], attrs));
  }
  return new RoadRouter(buildRoadGraph(rows).graph);
}

const router = grid();
const route: RouteLine = async (points) => {
  const result = router.route(points.map((p, i) => ({ label: `p${i}`, lng: p.lng, lat: p.lat })), { optimize: 'time' });
  return result.ok ? result.route : null;
};
const place = (name: string, x: number, y: number): Place => ({ name, lng: lngOf(x), lat: latOf(y) });
const depots = [place('North depot', 1, 11), place('South depot', 11, 1)];
const customers = [place('A', 3, 4), place('B', 8, 9), place('C', 10, 6), place('D', 2, 7), place('E', 6, 2), place('F', 9, 3), place('G', 5, 10)];
const ids = Array.from({ length: 120 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);

async function simulation(vehicleIds = ids) {
  const fleet = await planRoadFleet([...depotTours(depots, customers, 3), { name: 'Route 1', depot: depots[0]!, stops: [customers[1]!, customers[2]!], vehicleIds: [ids[0]!] }], route);
  return new RoadFleetSimulation(vehicleIds, fleet!);
}

/** Meters from a point to the nearest point of the tour's line. */
function offLine(tour: Tour, lng: number, lat: number): number {
  const pts = tour.walker.path.points;
  const kx = 111_320 * Math.cos((lat * Math.PI) / 180);
  const ky = 110_540;
  let best = Infinity;
  for (let i = 1; i < pts.length; i++) {
    const [ax, ay] = [(pts[i - 1]![0] - lng) * kx, (pts[i - 1]![1] - lat) * ky];
    const [bx, by] = [(pts[i]![0] - lng) * kx, (pts[i]![1] - lat) * ky];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

describe('tours between depots and customers', () => {
  it('one per depot: rounds of 3–5 different customers, nearest first, back at the depot between rounds', () => {
    const plans = depotTours(depots, customers, 3);
    expect(plans.map((p) => p.name)).toEqual(['North depot tours', 'South depot tours']);
    for (const p of plans) {
      const rounds: Place[][] = [[]];
      for (const stop of p.stops) {
        if (stop === p.depot) rounds.push([]);
        else rounds.at(-1)!.push(stop);
      }
      expect(rounds).toHaveLength(3);
      for (const round of rounds) {
        expect(round.length).toBeGreaterThanOrEqual(3);
        expect(round.length).toBeLessThanOrEqual(5);
        expect(new Set(round.map((s) => s.name)).size).toBe(round.length);
      }
      expect(p.stops.length + 2).toBeLessThanOrEqual(MAX_TOUR_POINTS);
    }
  });

  it('never needs more points than one routing request takes', () => {
    for (const p of depotTours(depots, customers, 10)) expect(p.stops.length + 2).toBeLessThanOrEqual(MAX_TOUR_POINTS);
  });
});

describe('RoadFleetSimulation', () => {
  it('keeps every vehicle on its routed line, second by second', async () => {
    const sim = await simulation();
    for (let s = 0; s < 600; s += 7) {
      sim.positionsAt(T0 + s * 1000).forEach((p, i) => {
        expect(offLine(sim.describe(i).tour, p.lng, p.lat)).toBeLessThan(3);
      });
    }
  });

  it('moves each vehicle continuously, no faster than its reported speed', async () => {
    const sim = await simulation(ids.slice(0, 40));
    let previous = sim.positionsAt(T0);
    for (let s = 1; s <= 600; s++) {
      const now = sim.positionsAt(T0 + s * 1000);
      now.forEach((p, i) => {
        const meters = haversineMeters([previous[i]!.lng, previous[i]!.lat], [p.lng, p.lat]);
        expect(meters).toBeLessThanOrEqual(Math.max(previous[i]!.speed, p.speed) / 3.6 + 0.5);
      });
      previous = now;
    }
  });

  it('stops at every customer and at the depot for a while, with the ignition off', async () => {
    const sim = await simulation(ids.slice(0, 30));
    for (let i = 0; i < 30; i++) {
      const { tour, schedule, idle } = sim.describe(i);
      if (idle) continue;
      for (const stop of tour.stops) {
        let standing = 0;
        for (let s = 0; s < schedule.cycleS; s++) if (schedule.state[s] === STATE_STOPPED && Math.abs(schedule.along[s]! - stop) < 0.01) standing++;
        expect(standing).toBeGreaterThanOrEqual(25);
        expect(standing).toBeLessThanOrEqual(150);
      }
    }
    // Over two minutes most vehicles are moving and some stand at a stop.
    const at = sim.positionsAt(T0 + 60_000);
    const stopped = at.filter((p) => p.speed === 0 && p.attributes?.ignition === false).length;
    expect(stopped).toBeGreaterThan(0);
    expect(stopped).toBeLessThan(20);
  });

  it('drives near the speed limit of each street, with variation; a few vehicles speed', async () => {
    const sim = await simulation();
    let speeders = 0;
    const cruising: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const { tour, schedule, speeding, idle } = sim.describe(i);
      if (idle) continue;
      if (speeding) speeders++;
      let over = 0;
      for (let s = 0; s < schedule.cycleS; s++) {
        const limit = limitAt(tour, schedule.along[s]!);
        const ratio = schedule.speedKmh[s]! / limit;
        expect(ratio).toBeLessThanOrEqual(speeding ? 1.6 : 1.16);
        if (ratio > 1.1) over++;
        if (!speeding && schedule.state[s] !== STATE_STOPPED && schedule.speedKmh[s]! > 0.7 * limit) cruising.push(ratio);
      }
      if (speeding) expect(over).toBeGreaterThan(schedule.cycleS * 0.2);
    }
    expect(speeders).toBeGreaterThan(0);
    expect(speeders).toBeLessThan(ids.length * 0.15);
    // Variation: cruise speeds spread over a range below and around the limit.
    const mean = cruising.reduce((a, b) => a + b, 0) / cruising.length;
    expect(mean).toBeGreaterThan(0.8);
    expect(mean).toBeLessThan(1.0);
    expect(Math.max(...cruising) - Math.min(...cruising)).toBeGreaterThan(0.2);
    // Streets of different classes are driven at different speeds: mean cruise on the 60 km/h
    // primary well above that on 30 km/h residential streets.
    const byLimit = new Map<number, number[]>();
    for (let i = 0; i < ids.length; i++) {
      const { tour, schedule, speeding, idle } = sim.describe(i);
      if (idle || speeding) continue;
      for (let s = 0; s < schedule.cycleS; s++) {
        const limit = limitAt(tour, schedule.along[s]!);
        if (schedule.state[s] !== STATE_STOPPED && schedule.speedKmh[s]! > 0.7 * limit) {
          const key = Math.round(limit / 10) * 10;
          if (!byLimit.has(key)) byLimit.set(key, []);
          byLimit.get(key)!.push(schedule.speedKmh[s]!);
        }
      }
    }
    const avg = (xs: number[] = []) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(byLimit.get(60))).toBeGreaterThan(avg(byLimit.get(30)) + 20);
  });

  it('brakes hard now and then (more than 4 m/s²), and a few vehicles idle with the engine on', async () => {
    const sim = await simulation();
    let hard = 0;
    let idlers = 0;
    for (let i = 0; i < ids.length; i++) {
      const { schedule, idle } = sim.describe(i);
      if (idle) {
        idlers++;
        continue;
      }
      for (let s = 1; s < schedule.cycleS; s++) if ((schedule.speedKmh[s - 1]! - schedule.speedKmh[s]!) / 3.6 > 4) hard++;
    }
    expect(hard).toBeGreaterThan(0);
    expect(idlers).toBeGreaterThan(0);
    expect(idlers).toBeLessThan(ids.length * 0.1);
    const idleIndex = ids.findIndex((_, i) => sim.describe(i).idle);
    const a = sim.positionsAt(T0)[idleIndex]!;
    const b = sim.positionsAt(T0 + 300_000)[idleIndex]!;
    expect([a.lng, a.lat, a.speed, a.attributes]).toEqual([b.lng, b.lat, 0, { ignition: true }]);
  });

  it('is deterministic: the same ids and network give the same positions, whatever else is simulated', async () => {
    const a = await simulation();
    const b = await simulation([ids[17]!, ids[3]!]);
    const at = T0 + 123_456;
    expect(b.positionsAt(at)).toEqual([a.positionsAt(at)[17], a.positionsAt(at)[3]]);
  });

  it('drives a route’s assigned vehicles on that route', async () => {
    const sim = await simulation();
    expect(sim.describe(0).tour.name).toBe('Route 1');
  });
});
