/**
 * The dispatch engine, pure: which vehicle should serve a request, and why.
 *
 * 1. Candidates: every vehicle of the tenant is checked (capabilities, capacity, status, a
 *    position, a driver, not declined before); the `routed` nearest eligible ones by straight
 *    line are kept (an in-memory nearest search over live state: one pass, a bounded list).
 * 2. Road ETA for those, through the caller's `eta` (the tenant's routing graph in production):
 *    the van across the harbour is near as the crow flies and far by road, and loses here.
 * 3. The seed's factors, each 0–1 per candidate (1 best), weighted by the tenant's weights for
 *    the request's kind (standard or emergency), normalised so the weights sum to 1:
 *    - distance: fastest ETA among the candidates ÷ this ETA
 *    - efficiency: straight-line ÷ road distance (how directly it can get there)
 *    - utilization: 1 − the vehicle's share of recent time on trips (spreads the work)
 *    - rating: the driving score ÷ 100 (0.5, neutral, without one)
 *    - capability: share of the wanted capabilities it has (required ones are a must; an
 *      emergency also prefers its natural kind: medical, fire, police, tow for a breakdown)
 *    - availability: 1 free, 0.4 holding a lower-priority job not started (emergencies may
 *      take it over), 0.1 on a trip (emergencies only, when allowed)
 * Batch: requests in priority tiers (emergency first), each tier solved as one assignment
 * problem (./solver.ts) over the vehicles the tiers before it left.
 */
import { haversineMeters } from '../geofence/geometry';
import { FACTORS, PRIORITY_RANK, type CandidateDto, type DriverStatus, type Priority, type RequestKind, type Weights } from '../protocol/dispatch';
import { greedy, hungarian, type Pair } from './solver';

export interface DispatchVehicle {
  id: string;
  name: string;
  driverId: string | null;
  type: string;
  /** Capabilities it has (its type, attributes.capabilities, attributes.<name> === true). */
  capabilities: ReadonlySet<string>;
  capacity: number | null;
  /** Last position; NaN when it never sent one. */
  lng: number;
  lat: number;
  status: DriverStatus;
  /** Priority rank of the job it holds but has not started (BUSY), −1 when none. */
  heldPriority: number;
  /** Share of recent time on trips, 0–1. */
  utilization: number;
  /** Driving score 0–100, null without one. */
  drivingScore: number | null;
  /** Its positions are being refused (its own or the tenant's reception switch is off): not a candidate. */
  receptionOff?: boolean;
}

export interface DispatchJob {
  id: string;
  kind: RequestKind;
  priority: Priority;
  emergencyType?: string | null;
  lng: number;
  lat: number;
  capabilities: readonly string[];
  capacity: number | null;
  /** Vehicles that declined or let the offer expire: not offered again. */
  declined: ReadonlySet<string>;
}

export interface Eta {
  etaS: number;
  distanceM: number;
}
/** Road ETA from a vehicle to the job's pickup; null when no road leads there. */
export type EtaFn = (vehicle: DispatchVehicle, job: DispatchJob) => Eta | null;

export interface EngineOptions {
  /** How many nearest eligible vehicles get a road ETA. */
  routed: number;
  weights: { standard: Weights; emergency: Weights };
  /** Emergencies may take vehicles on a trip (last resort). */
  emergencyUsesOnTrip: boolean;
  /** How many excluded vehicles (nearest first) are explained in the result. */
  explainExcluded?: number;
}

export interface Scored {
  vehicle: DispatchVehicle;
  candidate: CandidateDto;
}

export interface JobResult {
  /** Routed candidates, best first (score > 0), then the nearest excluded ones with their reason. */
  candidates: CandidateDto[];
  /** Routed and eligible, best first. */
  eligible: Scored[];
  /** Why no one was eligible (null when someone was). */
  reason: string | null;
}

/** Emergency kinds' natural capability: preferred, not required. */
export const EMERGENCY_PREFERS: Readonly<Record<string, string>> = { medical: 'medical', fire: 'fire', police: 'police', breakdown: 'tow' };

const NO_FACTORS: Weights = { distance: 0, efficiency: 0, utilization: 0, rating: 0, capability: 0, availability: 0 };
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Why `v` cannot serve `job`, or null. */
export function exclusionOf(v: DispatchVehicle, job: DispatchJob, options: Pick<EngineOptions, 'emergencyUsesOnTrip'>): string | null {
  if (job.declined.has(v.id)) return 'already declined or missed this request';
  if (v.receptionOff) return 'reception switched off';
  const missing = job.capabilities.filter((c) => !v.capabilities.has(c));
  if (missing.length > 0) return `lacks ${missing.join(', ')}`;
  if (job.capacity != null) {
    if (v.capacity == null) return `capacity not recorded (needs ${job.capacity})`;
    if (v.capacity < job.capacity) return `capacity ${v.capacity} < ${job.capacity} needed`;
  }
  if (!v.driverId) return 'no driver assigned';
  if (!Number.isFinite(v.lng) || !Number.isFinite(v.lat)) return 'no position yet';
  if (v.status === 'OFFLINE') return 'offline';
  const rank = PRIORITY_RANK[job.priority];
  if (v.status === 'ON_TRIP' && !(job.kind === 'emergency' && options.emergencyUsesOnTrip)) return 'on a trip';
  if (v.status === 'BUSY' && !(job.kind === 'emergency' && v.heldPriority >= 0 && v.heldPriority < rank)) return 'holds another job not yet started';
  return null;
}

/** Flat-earth distance for ranking nearby candidates (scaled degrees²); exact meters are computed for the few kept. */
function rankDistance(lng: number, lat: number, job: DispatchJob, kx: number): number {
  const dx = (lng - job.lng) * kx;
  const dy = lat - job.lat;
  return dx * dx + dy * dy;
}

/** Inserts (d, item) into a list kept sorted by d and at most `k` long. */
function keepNearest<T>(list: { d: number; item: T }[], k: number, d: number, item: T): void {
  if (k <= 0) return;
  if (list.length === k && d >= list[k - 1]!.d) return;
  let i = list.length === k ? k - 1 : list.length;
  if (list.length < k) list.push({ d, item });
  while (i > 0 && list[i - 1]!.d > d) {
    list[i] = list[i - 1]!;
    i--;
  }
  list[i] = { d, item };
}

function normalisedWeights(w: Weights): Weights {
  const sum = FACTORS.reduce((s, f) => s + w[f], 0) || 1;
  return Object.fromEntries(FACTORS.map((f) => [f, w[f] / sum])) as Weights;
}

/** Scores every vehicle of `vehicles` for one job (see the file comment). */
export function scoreJob(job: DispatchJob, vehicles: Iterable<DispatchVehicle>, eta: EtaFn, options: EngineOptions): JobResult {
  const kx = Math.cos((job.lat * Math.PI) / 180);
  const nearest: { d: number; item: DispatchVehicle }[] = [];
  const excluded: { d: number; item: { v: DispatchVehicle; why: string } }[] = [];
  const explain = options.explainExcluded ?? 10;
  let total = 0;
  const reasons = new Map<string, number>();
  for (const v of vehicles) {
    total++;
    const why = exclusionOf(v, job, options);
    const d = Number.isFinite(v.lng) ? rankDistance(v.lng, v.lat, job, kx) : Infinity;
    if (why) {
      const key = why.startsWith('capacity') ? 'too small' : why;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
      keepNearest(excluded, explain, d, { v, why });
    } else keepNearest(nearest, options.routed, d, v);
  }

  const w = normalisedWeights(job.kind === 'emergency' ? options.weights.emergency : options.weights.standard);
  const routed: { v: DispatchVehicle; eta: Eta; crowM: number }[] = [];
  const unreachable: CandidateDto[] = [];
  for (const { item: v } of nearest) {
    const crowM = haversineMeters(v.lng, v.lat, job.lng, job.lat);
    const e = eta(v, job);
    if (e) routed.push({ v, eta: e, crowM });
    else unreachable.push(candidateDto(v, null, crowM, NO_FACTORS, 0, 'no road from it to the pickup'));
  }
  const fastest = Math.max(30, Math.min(...routed.map((r) => r.eta.etaS)));
  const wanted = [...job.capabilities];
  const preferred = job.kind === 'emergency' && job.emergencyType ? EMERGENCY_PREFERS[job.emergencyType] : undefined;
  if (preferred && !wanted.includes(preferred)) wanted.push(preferred);
  const rank = PRIORITY_RANK[job.priority];
  const eligible: Scored[] = routed.map(({ v, eta: e, crowM }) => {
    const factors: Weights = {
      distance: fastest / Math.max(30, e.etaS),
      efficiency: e.distanceM < 50 ? 1 : Math.min(1, crowM / e.distanceM),
      utilization: 1 - Math.min(1, Math.max(0, v.utilization)),
      rating: v.drivingScore == null ? 0.5 : Math.min(1, Math.max(0, v.drivingScore / 100)),
      capability: wanted.length === 0 ? 1 : wanted.filter((c) => v.capabilities.has(c)).length / wanted.length,
      availability: v.status === 'ONLINE' ? 1 : v.status === 'BUSY' && v.heldPriority < rank ? 0.4 : v.status === 'ON_TRIP' ? 0.1 : 0,
    };
    for (const f of FACTORS) factors[f] = round3(factors[f]);
    const score = round3(FACTORS.reduce((s, f) => s + w[f] * factors[f], 0));
    return { vehicle: v, candidate: candidateDto(v, e, crowM, factors, score) };
  });
  eligible.sort((a, b) => b.candidate.score - a.candidate.score || (a.candidate.etaS ?? 0) - (b.candidate.etaS ?? 0));

  let reason: string | null = null;
  if (eligible.length === 0) {
    if (total === 0) reason = 'the organisation has no vehicles';
    else if (unreachable.length > 0 && reasons.size === 0) reason = 'no road leads from any available vehicle to the pickup';
    else {
      const parts = [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} ${why}`);
      if (unreachable.length) parts.push(`${unreachable.length} cannot reach it by road`);
      reason = `no capable vehicle is available (${parts.join('; ')})`;
    }
  }
  return {
    candidates: [
      ...eligible.map((s) => s.candidate),
      ...unreachable,
      ...excluded.map(({ item: { v, why }, d }) => candidateDto(v, null, Number.isFinite(d) ? haversineMeters(v.lng, v.lat, job.lng, job.lat) : null, NO_FACTORS, 0, why)),
    ],
    eligible,
    reason,
  };
}

function candidateDto(v: DispatchVehicle, e: Eta | null, crowM: number | null, factors: Weights, score: number, excludedBecause?: string): CandidateDto {
  return {
    vehicleId: v.id,
    vehicleName: v.name,
    driverId: v.driverId,
    etaS: e ? Math.round(e.etaS) : null,
    distanceM: e ? Math.round(e.distanceM) : null,
    crowM: crowM == null ? null : Math.round(crowM),
    factors,
    score,
    ...(excludedBecause ? { excludedBecause } : {}),
  };
}

export interface BatchDecision {
  job: DispatchJob;
  result: JobResult;
  /** The chosen candidate, or null (deferred: `result.reason`, or every candidate went to a more urgent or better-matched job). */
  chosen: Scored | null;
}

export interface BatchOutcome {
  decisions: BatchDecision[];
  total: number;
  /** The same jobs, same tiers, solved greedily: for the report. */
  greedyTotal: number;
  solveMs: number;
}

/**
 * Assigns `jobs` together: tier by tier by priority (emergency first), each tier one assignment
 * problem maximising its total score over the vehicles left by the tiers before it.
 */
export function assignBatch(jobs: readonly DispatchJob[], vehicles: readonly DispatchVehicle[], eta: EtaFn, options: EngineOptions): BatchOutcome {
  const tiers = new Map<number, DispatchJob[]>();
  for (const j of jobs) {
    const r = PRIORITY_RANK[j.priority];
    let tier = tiers.get(r);
    if (!tier) tiers.set(r, (tier = []));
    tier.push(j);
  }
  const taken = new Set<string>();
  const greedyTaken = new Set<string>();
  const decisions: BatchDecision[] = [];
  let total = 0;
  let greedyTotal = 0;
  let solveMs = 0;
  for (const rank of [...tiers.keys()].sort((a, b) => b - a)) {
    const tier = tiers.get(rank)!;
    const free = vehicles.filter((v) => !taken.has(v.id));
    const results = tier.map((job) => scoreJob(job, free, eta, options));
    const t0 = performance.now();
    const { pairs, colIds } = pairsOf(results);
    const solved = hungarian(tier.length, colIds.length, pairs);
    solveMs += performance.now() - t0;
    total += solved.total;
    tier.forEach((job, r) => {
      const col = solved.colOf[r]!;
      const chosen = col >= 0 ? results[r]!.eligible.find((s) => s.vehicle.id === colIds[col])! : null;
      if (chosen) taken.add(chosen.vehicle.id);
      decisions.push({ job, result: results[r]!, chosen });
    });
    // The baseline on the same tier, with its own leftovers from the tiers before.
    const greedyPairs = pairsOf(results).pairs.filter((p) => !greedyTaken.has(colIds[p.col]!));
    const g = greedy(tier.length, greedyPairs);
    greedyTotal += g.total;
    for (const c of g.colOf) if (c >= 0) greedyTaken.add(colIds[c]!);
  }
  return { decisions, total: round3(total), greedyTotal: round3(greedyTotal), solveMs };
}

/** The feasible (job, vehicle) pairs of a tier, vehicles numbered by first appearance. */
export function pairsOf(results: readonly JobResult[]): { pairs: Pair[]; colIds: string[] } {
  const colOf = new Map<string, number>();
  const colIds: string[] = [];
  const pairs: Pair[] = [];
  results.forEach((res, row) => {
    for (const s of res.eligible) {
      let col = colOf.get(s.vehicle.id);
      if (col === undefined) {
        col = colIds.length;
        colOf.set(s.vehicle.id, col);
        colIds.push(s.vehicle.id);
      }
      pairs.push({ row, col, score: s.candidate.score });
    }
  });
  return { pairs, colIds };
}

/** A vehicle's capabilities from its type and attributes (see protocol/dispatch CAPABILITIES). */
export function capabilitiesOf(type: string, attributes: Record<string, unknown>): Set<string> {
  const caps = new Set<string>([type]);
  const list = attributes.capabilities;
  if (Array.isArray(list)) for (const c of list) if (typeof c === 'string') caps.add(c.trim().toLowerCase());
  for (const [key, value] of Object.entries(attributes)) if (value === true) caps.add(key.toLowerCase());
  return caps;
}

/** `attributes.capacity` as a number, or null. */
export function capacityOf(attributes: Record<string, unknown>): number | null {
  const c = attributes.capacity;
  const n = typeof c === 'number' ? c : typeof c === 'string' ? Number(c) : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * A vehicle's driver status from whether it reports, its active trip's status and the priority
 * it holds: a trip under way is ON_TRIP; a pending trip, an offer or an accepted job is BUSY.
 */
export function driverStatus(online: boolean, tripStatus: string | undefined, held: number | undefined): { status: DriverStatus; heldPriority: number } {
  const heldPriority = held ?? (tripStatus === 'PENDING' ? 99 : -1);
  const status: DriverStatus = !online ? 'OFFLINE' : tripStatus && tripStatus !== 'PENDING' ? 'ON_TRIP' : heldPriority >= 0 ? 'BUSY' : 'ONLINE';
  return { status, heldPriority };
}
