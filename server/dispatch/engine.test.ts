import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, FACTORS } from '../protocol/dispatch';
import { buildRoadGraph } from '../roads/graph/build';
import { latOf, lngOf, random, seg } from '../roads/graph/fixtures';
import { RoadRouter } from '../roads/routing/route';
import { assignBatch, capabilitiesOf, capacityOf, driverStatus, scoreJob, type DispatchJob, type DispatchVehicle, type EngineOptions, type EtaFn } from './engine';

/**
 * A harbour: the pickup is on the south quay (y = 0); the north quay (y = 2) is 220 m away across
 * the water but joined to the south only at x = 10, ≈ 1.6 km around by road.
 */
const harbour = new RoadRouter(
  buildRoadGraph([
    ...Array.from({ length: 10 }, (_, x) => seg([[x, 0], [x + 1, 0]], { name: 'South Quay' })),
    ...Array.from({ length: 10 }, (_, x) => seg([[x, 2], [x + 1, 2]], { name: 'North Quay' })),
    seg([[10, 0], [10, 2]], { name: 'Harbour Bridge' }),
  ]).graph,
);
const roadEta: EtaFn = (v, job) => {
  const r = harbour.route([{ label: 'from', lng: v.lng, lat: v.lat }, { label: 'to', lng: job.lng, lat: job.lat }], { optimize: 'time' });
  return r.ok ? { etaS: r.route.properties.durationS, distanceM: r.route.properties.distanceM } : null;
};

function vehicle(id: string, x: number, y: number, over: Partial<DispatchVehicle> = {}): DispatchVehicle {
  return { id, name: id, driverId: `driver-${id}`, type: 'van', capabilities: new Set(['van']), capacity: null, lng: lngOf(x), lat: latOf(y), status: 'ONLINE', heldPriority: -1, utilization: 0, drivingScore: null, ...over };
}
function job(over: Partial<DispatchJob> = {}): DispatchJob {
  return { id: 'j1', kind: 'service', priority: 'normal', lng: lngOf(0), lat: latOf(0), capabilities: [], capacity: null, declined: new Set(), ...over };
}
const options: EngineOptions = { routed: 8, weights: DEFAULT_WEIGHTS, emergencyUsesOnTrip: false };

describe('scoring one request', () => {
  it('proposes the nearest van by road, not the one across the harbour, and says why', () => {
    const across = vehicle('across', 0, 2); // 222 m as the crow flies, ≈1.6 km by road
    const along = vehicle('along', 6, 0); // 430 m along the quay
    const res = scoreJob(job(), [across, along], roadEta, options);
    expect(res.reason).toBeNull();
    expect(res.eligible[0]!.vehicle.id).toBe('along');
    const [best, other] = res.candidates;
    expect(best!.crowM!).toBeGreaterThan(other!.crowM!);
    expect(best!.etaS!).toBeLessThan(other!.etaS!);
    expect(other!.distanceM!).toBeGreaterThan(1500);
    expect(best!.factors.distance).toBe(1);
    expect(other!.factors.distance).toBeLessThan(0.5);
    expect(other!.factors.efficiency).toBeLessThan(0.2); // 222 m straight, 1.6 km driven
    for (const c of res.candidates) for (const f of FACTORS) expect(c.factors[f]).toBeGreaterThanOrEqual(0), expect(c.factors[f]).toBeLessThanOrEqual(1);
    expect(best!.score).toBeGreaterThan(other!.score);
  });

  it('excludes vehicles that cannot serve, each with its reason, and defers with a summary when none can', () => {
    const vans = [
      vehicle('offline', 1, 0, { status: 'OFFLINE' }),
      vehicle('on-trip', 2, 0, { status: 'ON_TRIP' }),
      vehicle('busy', 3, 0, { status: 'BUSY', heldPriority: 1 }),
      vehicle('no-driver', 4, 0, { driverId: null }),
      vehicle('nowhere', 0, 0, { lng: NaN, lat: NaN }),
      vehicle('plain', 5, 0),
    ];
    const res = scoreJob(job({ capabilities: ['refrigerated'] }), vans, roadEta, options);
    expect(res.eligible).toEqual([]);
    expect(res.reason).toMatch(/no capable vehicle is available \(6 lacks refrigerated\)/);
    expect(res.candidates.every((c) => c.excludedBecause === 'lacks refrigerated' && c.score === 0)).toBe(true);

    const open = scoreJob(job(), vans, roadEta, options);
    const why = Object.fromEntries(open.candidates.map((c) => [c.vehicleId, c.excludedBecause ?? 'eligible']));
    expect(why).toEqual({
      offline: 'offline',
      'on-trip': 'on a trip',
      busy: 'holds another job not yet started',
      'no-driver': 'no driver assigned',
      nowhere: 'no position yet',
      plain: 'eligible',
    });
  });

  it('passes over a vehicle whose positions are being refused (reception switched off), however near', () => {
    const res = scoreJob(job(), [vehicle('muted', 1, 0, { receptionOff: true }), vehicle('far', 9, 0)], roadEta, options);
    expect(res.eligible.map((s) => s.vehicle.id)).toEqual(['far']);
    expect(res.candidates.find((c) => c.vehicleId === 'muted')?.excludedBecause).toBe('reception switched off');
  });

  it('matches capabilities from the type and the attributes, and capacity', () => {
    const cold = vehicle('cold', 8, 0, { capabilities: capabilitiesOf('truck', { capabilities: ['Refrigerated'], lift: true }), capacity: capacityOf({ capacity: '12' }) });
    expect([...cold.capabilities].sort()).toEqual(['lift', 'refrigerated', 'truck']);
    expect(scoreJob(job({ capabilities: ['refrigerated', 'truck'], capacity: 10 }), [cold, vehicle('van', 1, 0)], roadEta, options).eligible.map((s) => s.vehicle.id)).toEqual(['cold']);
    const small = scoreJob(job({ capacity: 20 }), [cold], roadEta, options);
    expect(small.candidates[0]!.excludedBecause).toBe('capacity 12 < 20 needed');
  });

  it('routes only the nearest few eligible vehicles', () => {
    let calls = 0;
    const counting: EtaFn = (v, j) => (calls++, roadEta(v, j));
    const fleet = Array.from({ length: 50 }, (_, i) => vehicle(`v${i}`, (i % 10) + 0.5, 0));
    const res = scoreJob(job(), fleet, counting, { ...options, routed: 5 });
    expect(calls).toBe(5);
    expect(res.eligible).toHaveLength(5);
    expect(res.eligible.every((s) => s.vehicle.lng < lngOf(1))).toBe(true);
  });

  it('lets the tenant’s weights decide: all on rating picks the better driver over the nearer one', () => {
    const near = vehicle('near', 1, 0, { drivingScore: 60 });
    const careful = vehicle('careful', 7, 0, { drivingScore: 98 });
    expect(scoreJob(job(), [near, careful], roadEta, options).eligible[0]!.vehicle.id).toBe('near');
    const ratingOnly = { ...DEFAULT_WEIGHTS, standard: { ...DEFAULT_WEIGHTS.standard, distance: 0, efficiency: 0, utilization: 0, rating: 1 } };
    const res = scoreJob(job(), [near, careful], roadEta, { ...options, weights: ratingOnly });
    expect(res.eligible[0]!.vehicle.id).toBe('careful');
    expect(res.eligible[0]!.candidate.score).toBeCloseTo(0.98);
  });

  it('lets an emergency take a vehicle holding a lower-priority job, and prefers the right kind of vehicle', () => {
    const busy = vehicle('busy', 1, 0, { status: 'BUSY', heldPriority: 1 });
    const ambulance = vehicle('ambulance', 4, 0, { capabilities: new Set(['van', 'medical']) });
    const res = scoreJob(job({ kind: 'emergency', priority: 'emergency', emergencyType: 'medical' }), [busy, ambulance], roadEta, options);
    expect(res.eligible.map((s) => s.vehicle.id).sort()).toEqual(['ambulance', 'busy']);
    expect(res.eligible[0]!.vehicle.id).toBe('ambulance');
    expect(res.eligible.find((s) => s.vehicle.id === 'busy')!.candidate.factors.availability).toBe(0.4);
  });

  it('never offers again to a vehicle that declined', () => {
    const res = scoreJob(job({ declined: new Set(['a']) }), [vehicle('a', 1, 0), vehicle('b', 5, 0)], roadEta, options);
    expect(res.eligible.map((s) => s.vehicle.id)).toEqual(['b']);
  });
});

describe('assigning a batch', () => {
  it('serves an emergency first when it competes with waiting service requests for one vehicle', () => {
    const jobs = [job({ id: 's1' }), job({ id: 's2', lng: lngOf(2) }), job({ id: 'e1', kind: 'emergency', priority: 'emergency', emergencyType: 'medical', lng: lngOf(9) })];
    const out = assignBatch(jobs, [vehicle('only', 1, 0)], roadEta, options);
    const byJob = Object.fromEntries(out.decisions.map((d) => [d.job.id, d.chosen?.vehicle.id ?? null]));
    expect(byJob).toEqual({ e1: 'only', s1: null, s2: null });
  });

  it('maximises the total score, never below greedy on the same input', () => {
    const rnd = random(7);
    const fleet = Array.from({ length: 12 }, (_, i) => vehicle(`v${i}`, rnd() * 10, rnd() < 0.5 ? 0 : 2, { utilization: rnd(), drivingScore: 50 + rnd() * 50 }));
    const jobs = Array.from({ length: 8 }, (_, i) => job({ id: `j${i}`, lng: lngOf(rnd() * 10), lat: latOf(rnd() < 0.5 ? 0 : 2) }));
    const out = assignBatch(jobs, fleet, roadEta, { ...options, routed: 4 });
    expect(out.total).toBeGreaterThanOrEqual(out.greedyTotal);
    const used = out.decisions.flatMap((d) => (d.chosen ? [d.chosen.vehicle.id] : []));
    expect(new Set(used).size).toBe(used.length);
  });
});

describe('driverStatus', () => {
  it('reads a vehicle’s commitments as the driver status the dashboard shows', () => {
    expect(driverStatus(true, undefined, undefined)).toEqual({ status: 'ONLINE', heldPriority: -1 });
    // a trip given but not started, an open offer, an accepted job: busy, with what it holds
    expect(driverStatus(true, 'PENDING', undefined)).toEqual({ status: 'BUSY', heldPriority: 99 });
    expect(driverStatus(true, undefined, 1)).toEqual({ status: 'BUSY', heldPriority: 1 });
    expect(driverStatus(true, undefined, 99)).toEqual({ status: 'BUSY', heldPriority: 99 });
    for (const trip of ['EN_ROUTE', 'ARRIVED', 'IN_PROGRESS']) expect(driverStatus(true, trip, undefined).status).toBe('ON_TRIP');
    // not reporting outranks everything
    expect(driverStatus(false, 'IN_PROGRESS', 99).status).toBe('OFFLINE');
  });
});
