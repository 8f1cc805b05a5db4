import type { Position } from '../protocol/position';
import {
  compileShape, covers, distanceToBoundary, expandBbox, GeometryError, METERS_PER_DEGREE, segmentMeetsBoundary,
  type Bbox, type CircleShape, type Shape,
} from './geometry';
import { FenceIndex } from './index';
import { confidence, distanceToFirstMeeting, MotionHistory, pathAhead, pathBox, pathMeets } from './prediction';
import { CompiledRule, RuleError } from './rules';
import { CompiledSchedule, ScheduleError } from './schedule';
import {
  CONFIRMED, DEFAULT_MAX_ACCURACY_M, step,
  type GeofenceDefinition, type GeofenceEvent, type GeofenceKind, type Membership,
} from './semantics';

export { CONFIRMED, DEFAULT_MAX_ACCURACY_M, type GeofenceDefinition, type GeofenceEvent } from './semantics';

/**
 * The geofence engine: fences in, positions in, events out. Pure and in memory — no database,
 * no sockets, no clock (all time is position time). The caller persists events and, when it
 * wants to survive restarts, the membership state (`snapshotMembership` / `restoreMembership`).
 *
 * Fence changes build a new immutable snapshot (compiled shapes + flatbush index + flat records
 * and rasters) and swap it in; evaluation always runs against one whole snapshot and never waits
 * for a rebuild. Per position: one index query over the box of the segment from the vehicle's
 * previous position, then per candidate fence the raster (most points), the exact covered test
 * near edges, a metric distance only when hysteresis has to decide, and a depth memo that lets a
 * vehicle well inside a fence skip the covered test. Semantics: semantics.ts, docs/geofencing.md.
 */

export interface CompiledFence {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: GeofenceKind;
  readonly shape: Shape;
  readonly hysteresis: number;
  readonly dwellMs: number;
  readonly maxAccuracy: number;
  /** The shape's box grown by the hysteresis: what the index holds. */
  readonly box: Bbox;
  readonly definition: GeofenceDefinition;
  /** temporal: applies while active. */
  readonly schedule: CompiledSchedule | null;
  /** conditional: applies while the rule holds. */
  readonly rule: CompiledRule | null;
  /** dynamic: the leader the circle follows. */
  readonly follow: string | null;
  /** predictive: look-ahead window and the confidence to announce. */
  readonly prediction: { windowS: number; threshold: number } | null;
}

/** What the engine may ask its host about a vehicle (conditional rules, predictive routes). */
export interface VehicleFacts {
  type: string | null;
  attributes: Record<string, unknown>;
  /** The assigned route's LineString positions, when the vehicle has one. */
  route: readonly number[][] | null;
}

export interface EngineOptions {
  vehicleFacts?: (vehicleId: string) => VehicleFacts | undefined;
}

const NO_FACTS: VehicleFacts = { type: null, attributes: {}, route: null };
export const DEFAULT_PREDICTION_WINDOW_MIN = 10;
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
/** Below this speed (km/h) a vehicle is not predicted to go anywhere. */
const MIN_PREDICTION_SPEED_KMH = 3;
/** A vehicle's path ahead is judged again after this long, or when it turns or changes speed this much. */
const PREDICT_EVERY_MS = 3_000;
const PREDICT_TURN_DEG = 15;
const PREDICT_SPEED_CHANGE = 0.25;

export class GeofenceError extends Error {
  constructor(readonly geofenceId: string, message: string, readonly field?: string) {
    super(`geofence ${geofenceId}: ${message}`);
    this.name = 'GeofenceError';
  }
}

function nonNegative(value: number | undefined, fallback: number, id: string, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new GeofenceError(id, `${field} must be a finite number ≥ 0`, field);
  return value;
}

/** Validates and compiles one definition (throws GeofenceError). */
export function compileFence(def: GeofenceDefinition): CompiledFence {
  if (typeof def.id !== 'string' || def.id === '') throw new GeofenceError(String(def.id), 'id must be a non-empty string', 'id');
  let schedule: CompiledSchedule | null = null;
  let rule: CompiledRule | null = null;
  let follow: string | null = null;
  let prediction: CompiledFence['prediction'] = null;
  switch (def.kind) {
    case 'static':
      break;
    case 'dynamic':
      if (typeof def.followVehicleId !== 'string' || def.followVehicleId === '') {
        throw new GeofenceError(def.id, 'a dynamic fence needs followVehicleId: the vehicle it follows', 'followVehicleId');
      }
      if (def.geometry?.type !== 'Circle') throw new GeofenceError(def.id, 'a dynamic fence is a circle (Point and radius)', 'geometry');
      follow = def.followVehicleId;
      break;
    case 'temporal':
      try {
        schedule = new CompiledSchedule(def.schedule as WeeklyScheduleInput);
      } catch (error) {
        if (error instanceof ScheduleError) throw new GeofenceError(def.id, `schedule${error.path ? `.${error.path}` : ''} ${error.message}`, joinPath('schedule', error.path));
        throw error;
      }
      break;
    case 'conditional':
      try {
        rule = new CompiledRule(def.rule, def.timezone ?? 'UTC');
      } catch (error) {
        if (error instanceof RuleError) {
          const field = error.path === 'timezone' ? 'timezone' : joinPath('rule', error.path);
          throw new GeofenceError(def.id, `${field} ${error.message}`, field);
        }
        throw error;
      }
      break;
    case 'predictive': {
      const window = def.windowMinutes ?? DEFAULT_PREDICTION_WINDOW_MIN;
      const threshold = def.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
      if (!(Number.isFinite(window) && window > 0 && window <= 120)) throw new GeofenceError(def.id, 'windowMinutes must be more than 0 and at most 120', 'windowMinutes');
      if (!(Number.isFinite(threshold) && threshold >= 0 && threshold <= 1)) throw new GeofenceError(def.id, 'confidenceThreshold must be from 0 to 1', 'confidenceThreshold');
      prediction = { windowS: window * 60, threshold };
      break;
    }
    default: {
      const kind: never = def.kind;
      throw new GeofenceError(def.id, `kind ${String(kind)} is not a fence kind`, 'kind');
    }
  }
  let shape: Shape;
  try {
    shape = compileShape(def.geometry);
  } catch (error) {
    if (error instanceof GeometryError) throw new GeofenceError(def.id, error.message, `geometry.${error.path}`);
    throw error;
  }
  const hysteresis = nonNegative(def.hysteresisMeters, 0, def.id, 'hysteresisMeters');
  const dwellSeconds = nonNegative(def.dwellSeconds, 0, def.id, 'dwellSeconds');
  const maxAccuracy = nonNegative(def.maxAccuracyMeters, DEFAULT_MAX_ACCURACY_M, def.id, 'maxAccuracyMeters');
  return {
    id: def.id,
    tenantId: def.tenantId,
    kind: def.kind,
    shape,
    hysteresis,
    dwellMs: dwellSeconds * 1000,
    maxAccuracy,
    box: expandBbox(shape, hysteresis),
    definition: def,
    schedule,
    rule,
    follow,
    prediction,
  };
}

type WeeklyScheduleInput = ConstructorParameters<typeof CompiledSchedule>[0];

const joinPath = (a: string, b: string) => (b ? `${a}.${b}` : a);

/** A dynamic fence in one snapshot: its circle moves with its leader (mutated in place). */
interface DynamicFence {
  fence: CompiledFence;
  shape: CircleShape;
}

/** A circle shape of `radius` at (lng, lat), box included. */
function circleAt(lng: number, lat: number, radius: number): CircleShape {
  return { type: 'circle', lng, lat, radius, ...expandBbox({ minX: lng, minY: lat, maxX: lng, maxY: lat }, radius) };
}

/** A rough box of a definition (for ordering only; invalid ones sort anywhere and fail in compileFence). */
function boxOf(def: GeofenceDefinition): Bbox {
  const g = def.geometry as { type?: string; coordinates?: unknown; center?: unknown };
  let first: unknown = g?.type === 'Circle' ? g.center : g?.coordinates;
  while (Array.isArray(first) && Array.isArray(first[0])) first = first[0];
  const [x, y] = Array.isArray(first) ? (first as number[]) : [0, 0];
  const fx = Number.isFinite(x) ? x! : 0;
  const fy = Number.isFinite(y) ? y! : 0;
  return { minX: fx, minY: fy, maxX: fx, maxY: fy };
}

interface FenceSnapshot {
  readonly fences: readonly CompiledFence[];
  readonly byId: ReadonlyMap<string, CompiledFence>;
  readonly index: FenceIndex;
  /** Changes with every snapshot: members re-resolve their fence when it differs. */
  readonly version: number;
  /** Tenant id → number used in `rec`. */
  readonly tenants: ReadonlyMap<string, number>;
  /**
   * What the hot loop reads per candidate, contiguous (REC numbers per fence, same order as
   * `fences`): real box, grown box, maxAccuracy, tenant number, raster n, kx, ky, cell offset.
   * Reaching into thousands of scattered objects costs more than the arithmetic.
   */
  readonly rec: Float64Array;
  /** All rasters' cells (see geometry.ts `Grid`), at each fence's cell offset. */
  readonly cells: Uint8Array;
  /** Dynamic fences (not in `index`): by tenant, and by the leader they follow. */
  readonly dynamicByTenant: ReadonlyMap<string, DynamicFence[]>;
  readonly dynamicByLeader: ReadonlyMap<string, DynamicFence[]>;
  /** Predictive fences: their own index over real boxes, and the tenants that have any. */
  readonly predictive: readonly CompiledFence[];
  readonly predictiveIndex: FenceIndex;
  readonly predictiveTenants: ReadonlySet<string>;
  readonly maxPredictionS: number;
  readonly temporal: readonly CompiledFence[];
}

const REC = 14;
let snapshotVersion = 0;

/** Morton (Z-order) key of a box centre on a 2^16 grid of the world: near fences, near keys. */
function zKey(b: Bbox): number {
  const x = Math.min(65535, Math.max(0, Math.floor((((b.minX + b.maxX) / 2 + 180) / 360) * 65536)));
  const y = Math.min(65535, Math.max(0, Math.floor((((b.minY + b.maxY) / 2 + 90) / 180) * 65536)));
  let key = 0;
  for (let bit = 15; bit >= 0; bit--) key = key * 4 + ((x >> bit) & 1) * 2 + ((y >> bit) & 1);
  return key;
}

/**
 * Fences in Z-order of their centres: the few fences one position touches sit close together
 * in memory (compiled in that order too, see setFences), which matters more than arithmetic
 * once there are thousands of fences.
 */
function buildSnapshot(all: CompiledFence[], place: (leaderId: string) => [number, number] | null): FenceSnapshot {
  const byId = new Map<string, CompiledFence>();
  for (const f of all) {
    if (byId.has(f.id)) throw new GeofenceError(f.id, 'duplicate id', 'id');
    byId.set(f.id, f);
  }
  const unordered = all.filter((f) => f.follow === null);
  const keys = new Map(unordered.map((f) => [f, zKey(f.box)]));
  const fences = [...unordered].sort((a, b) => keys.get(a)! - keys.get(b)!);
  const dynamicByTenant = new Map<string, DynamicFence[]>();
  const dynamicByLeader = new Map<string, DynamicFence[]>();
  for (const f of all) {
    if (f.follow === null || f.shape.type !== 'circle') continue;
    const at = place(f.follow) ?? [f.shape.lng, f.shape.lat];
    const d: DynamicFence = { fence: f, shape: circleAt(at[0], at[1], f.shape.radius) };
    for (const [map, key] of [[dynamicByTenant, f.tenantId], [dynamicByLeader, f.follow]] as const) {
      const list = map.get(key);
      if (list) list.push(d);
      else map.set(key, [d]);
    }
  }
  const predictive = fences.filter((f) => f.prediction !== null);
  const tenants = new Map<string, number>();
  for (const f of fences) if (!tenants.has(f.tenantId)) tenants.set(f.tenantId, tenants.size);
  const rec = new Float64Array(fences.length * REC);
  let cellCount = 0;
  for (const f of fences) if (f.shape.type === 'polygon' && f.shape.grid) cellCount += f.shape.grid.cells.length;
  const cells = new Uint8Array(cellCount);
  let c = 0;
  fences.forEach((f, i) => {
    const o = i * REC;
    const s = f.shape;
    rec.set([s.minX, s.minY, s.maxX, s.maxY, f.box.minX, f.box.minY, f.box.maxX, f.box.maxY, f.maxAccuracy, tenants.get(f.tenantId)!], o);
    const grid = s.type === 'polygon' ? s.grid : null;
    if (grid) {
      rec.set([grid.n, grid.kx, grid.ky, c], o + 10);
      cells.set(grid.cells, c);
      c += grid.cells.length;
    }
  });
  return {
    fences, byId, index: new FenceIndex(fences.map((f) => f.box)), version: ++snapshotVersion, tenants, rec, cells,
    dynamicByTenant, dynamicByLeader,
    predictive,
    predictiveIndex: new FenceIndex(predictive.map((f) => f.shape)),
    predictiveTenants: new Set(predictive.map((f) => f.tenantId)),
    maxPredictionS: predictive.reduce((m, f) => Math.max(m, f.prediction!.windowS), 0),
    temporal: fences.filter((f) => f.schedule !== null),
  };
}

const CELL_INSIDE = 1;
const CELL_OUTSIDE = 2;

/** The raster cell of (x, y) in fence record `o` (0 = MIXED or no raster: ask the exact test). */
function cellAt(rec: Float64Array, cells: Uint8Array, o: number, x: number, y: number): number {
  const n = rec[o + 10]!;
  if (n === 0) return 0;
  let cx = Math.floor((x - rec[o]!) * rec[o + 11]!);
  let cy = Math.floor((y - rec[o + 1]!) * rec[o + 12]!);
  if (cx >= n) cx = n - 1;
  if (cy >= n) cy = n - 1;
  return cells[rec[o + 13]! + cy * n + cx]!;
}

/**
 * False when the segment cannot meet the fence: it misses the real box, or both ends lie in the
 * same raster cell that no boundary touches (the cell is convex). Otherwise the exact test decides.
 */
function mayCross(snapshot: FenceSnapshot, o: number, x1: number, y1: number, x2: number, y2: number): boolean {
  const rec = snapshot.rec;
  if ((x1 < rec[o]! && x2 < rec[o]!) || (x1 > rec[o + 2]! && x2 > rec[o + 2]!)) return false;
  if ((y1 < rec[o + 1]! && y2 < rec[o + 1]!) || (y1 > rec[o + 3]! && y2 > rec[o + 3]!)) return false;
  const n = rec[o + 10]!;
  if (n === 0) return true;
  const kx = rec[o + 11]!;
  const ky = rec[o + 12]!;
  const cx1 = Math.floor((x1 - rec[o]!) * kx);
  const cx2 = Math.floor((x2 - rec[o]!) * kx);
  const cy1 = Math.floor((y1 - rec[o + 1]!) * ky);
  const cy2 = Math.floor((y2 - rec[o + 1]!) * ky);
  if (cx1 !== cx2 || cy1 !== cy2 || cx1 < 0 || cy1 < 0 || cx1 >= n || cy1 >= n) return true;
  return snapshot.cells[rec[o + 13]! + cy1 * n + cx1] === 0;
}

interface Member {
  fenceId: string;
  /** CONFIRMED, or the position time the pending stay began. */
  since: number;
  /** Evaluation stamp: visited during the current position. */
  seen: number;
  /** The fence in snapshot `version` (null: deleted); compared by identity in the hot loop. */
  compiled: CompiledFence | null;
  version: number;
  /**
   * Depth memo: the compiled fence `safe` was measured for, a reference point that was covered
   * and `safe` meters (local metric at the reference, `refKx` m per degree of longitude) clear of
   * the boundary. Any point closer than `safe` to the reference is covered as well: the straight
   * segment between them cannot reach the boundary. Saves the covered test for vehicles parked or
   * moving well inside a fence; a fence change (a new compiled object) invalidates it.
   */
  fence: CompiledFence | null;
  refLng: number;
  refLat: number;
  refKx: number;
  safe: number;
}

const newMember = (fenceId: string, since: number, seen: number, compiled: CompiledFence | null = null, version = -1): Member => ({
  fenceId, since, seen, compiled, version, fence: null, refLng: 0, refLat: 0, refKx: 0, safe: 0,
});

interface VehicleState {
  /** Newest position time evaluated (−Infinity: none yet). */
  lastTs: number;
  lng: number;
  lat: number;
  /** Accuracy of that position (0 when it reported none). */
  accuracy: number;
  members: Member[];
  /**
   * Candidate memo: the fences whose grown box meets the box (cMinX…cMaxY), a query box grown
   * by CANDIDATE_MARGIN_M, in snapshot `cVersion`. A later query box inside it reuses the list
   * (a superset of what the index would return), so a moving vehicle queries the index about
   * once every CANDIDATE_MARGIN_M meters instead of every position.
   */
  candidates: number[] | null;
  cVersion: number;
  cMinX: number;
  cMinY: number;
  cMaxX: number;
  cMaxY: number;
  /** The newest evaluated position (null after a restore, until the next one). */
  last: Position | null;
  /** Recent motion, kept only while the tenant has predictive fences. */
  motion: MotionHistory | null;
  /** Predictive fences announced for the current approach. */
  predicted: string[] | null;
  /** When, at what heading and speed its path ahead was last judged. */
  pTs: number;
  pHeading: number;
  pSpeed: number;
}

const CANDIDATE_MARGIN_M = 150;

const newVehicle = (): VehicleState => ({
  lastTs: -Infinity, lng: 0, lat: 0, accuracy: 0, members: [], candidates: null, cVersion: -1, cMinX: 0, cMinY: 0, cMaxX: 0, cMaxY: 0,
  last: null, motion: null, predicted: null, pTs: -Infinity, pHeading: 0, pSpeed: 0,
});

const RAD = Math.PI / 180;

/** The vehicle's membership in fence `f` (undefined: outside), marked as visited at `stamp`. */
function visit(members: Member[], f: CompiledFence, stamp: number): Member | undefined {
  for (let k = 0; k < members.length; k++) {
    const m = members[k]!;
    if (m.compiled === f) {
      m.seen = stamp;
      return m;
    }
  }
  return undefined;
}

/** (lng, lat) is closer than `member.safe` meters to the member's reference point. */
function withinMeters(member: Member, lng: number, lat: number): boolean {
  const dx = (lng - member.refLng) * member.refKx;
  const dy = (lat - member.refLat) * METERS_PER_DEGREE;
  return dx * dx + dy * dy < member.safe * member.safe;
}

/** Serializable membership state (JSON-safe). */
export interface MembershipSnapshot {
  version: 1;
  vehicles: Array<{
    vehicleId: string;
    lastTs: number;
    lng: number;
    lat: number;
    accuracy: number;
    /** [geofenceId, since]: since = -1 (CONFIRMED) or the start of a pending dwell. */
    fences: Array<[string, number]>;
  }>;
}

export class GeofenceEngine {
  private readonly vehicles = new Map<string, VehicleState>();
  /** Vehicles whose memberships began, changed or ended since `takeMembershipChanges`. */
  private readonly membershipChanged = new Set<string>();
  private snapshot: FenceSnapshot = buildSnapshot([], () => null);
  private stamp = 0;
  /** Whether each temporal fence's schedule was active at the last `advanceTo`. */
  private scheduleStates = new WeakMap<CompiledFence, boolean>();

  constructor(private readonly options: EngineOptions = {}) {}

  /** Where a leader was last seen (dynamic fences start there). */
  private readonly placeOf = (leaderId: string): [number, number] | null => {
    const v = this.vehicles.get(leaderId);
    return v === undefined || v.lastTs === -Infinity ? null : [v.lng, v.lat];
  };

  // ------------------------------------------------------------------------------- fences

  /** Replaces every fence (all or nothing: an invalid definition throws and changes nothing). */
  setFences(defs: readonly GeofenceDefinition[]): void {
    // compile in Z-order so each fence's arrays are allocated next to its neighbours'
    const ordered = defs
      .map((def) => ({ def, key: zKey(boxOf(def)) }))
      .sort((a, b) => a.key - b.key)
      .map(({ def }) => compileFence(def));
    this.snapshot = buildSnapshot(ordered, this.placeOf);
  }

  /** Adds or replaces one fence; memberships in it are kept and re-judged on the next position. */
  upsert(def: GeofenceDefinition): void {
    const compiled = compileFence(def);
    const fences = this.all().filter((f) => f.id !== def.id);
    fences.push(compiled);
    this.snapshot = buildSnapshot(fences, this.placeOf);
  }

  /** Removes a fence; memberships in it are dropped without an exit. Returns whether it existed. */
  remove(id: string): boolean {
    if (!this.snapshot.byId.has(id)) return false;
    this.snapshot = buildSnapshot(this.all().filter((f) => f.id !== id), this.placeOf);
    return true;
  }

  get fenceCount(): number {
    return this.snapshot.byId.size;
  }

  /** Every fence of the current snapshot, dynamic ones included. */
  private all(): CompiledFence[] {
    return [...this.snapshot.byId.values()];
  }

  /** Where a dynamic fence's circle is now (null: not a dynamic fence). */
  dynamicCenter(id: string): [number, number] | null {
    const f = this.snapshot.byId.get(id);
    if (!f?.follow) return null;
    const d = this.snapshot.dynamicByLeader.get(f.follow)?.find((e) => e.fence === f);
    return d ? [d.shape.lng, d.shape.lat] : null;
  }

  fence(id: string): CompiledFence | undefined {
    return this.snapshot.byId.get(id);
  }

  // ------------------------------------------------------------------------------- evaluation

  /**
   * Evaluates a batch of positions (any vehicles, any order) and returns the events in position
   * time order. The batch is taken in position-time order (stable for equal times); per vehicle,
   * a position not newer than the newest already evaluated is ignored.
   */
  evaluate(positions: readonly Position[]): GeofenceEvent[] {
    const snapshot = this.snapshot;
    const events: GeofenceEvent[] = [];
    let ordered = true;
    for (let i = 1; i < positions.length; i++) {
      if (positions[i]!.ts < positions[i - 1]!.ts) {
        ordered = false;
        break;
      }
    }
    const list = ordered ? positions : [...positions].sort((a, b) => a.ts - b.ts);
    for (let i = 0; i < list.length; i++) this.evaluateOne(snapshot, list[i]!, events);
    return events;
  }

  private evaluateOne(snapshot: FenceSnapshot, p: Position, events: GeofenceEvent[]): void {
    if (!Number.isFinite(p.ts) || !Number.isFinite(p.lng) || !Number.isFinite(p.lat)) return;
    let v = this.vehicles.get(p.vehicleId);
    if (v === undefined) {
      v = newVehicle();
      this.vehicles.set(p.vehicleId, v);
    } else if (p.ts <= v.lastTs) {
      return; // late or duplicate: stored by the caller, changes nothing here
    }
    const stamp = ++this.stamp;
    const x = p.lng;
    const y = p.lat;
    const accuracy = p.accuracy ?? 0;
    const hasPrev = v.lastTs !== -Infinity;
    const members = v.members;
    let facts: VehicleFacts | null = null;

    for (let k = 0; k < members.length; k++) {
      const m = members[k]!;
      if (m.version !== snapshot.version) {
        m.compiled = snapshot.byId.get(m.fenceId) ?? null;
        m.version = snapshot.version;
      }
    }

    // One query covers the current point and the segment from the previous one (cross).
    const px = v.lng;
    const py = v.lat;
    const qMinX = hasPrev && px < x ? px : x;
    const qMinY = hasPrev && py < y ? py : y;
    const qMaxX = hasPrev && px > x ? px : x;
    const qMaxY = hasPrev && py > y ? py : y;
    let hits = v.candidates;
    if (hits === null || v.cVersion !== snapshot.version || qMinX < v.cMinX || qMinY < v.cMinY || qMaxX > v.cMaxX || qMaxY > v.cMaxY) {
      const dLat = CANDIDATE_MARGIN_M / METERS_PER_DEGREE;
      const dLng = dLat / Math.max(0.01, Math.cos(Math.min(89, Math.abs(y) + dLat) * RAD));
      v.cMinX = qMinX - dLng;
      v.cMinY = qMinY - dLat;
      v.cMaxX = qMaxX + dLng;
      v.cMaxY = qMaxY + dLat;
      v.cVersion = snapshot.version;
      hits = v.candidates = snapshot.index.search(v.cMinX, v.cMinY, v.cMaxX, v.cMaxY);
    }
    const tenant = snapshot.tenants.get(p.tenantId) ?? -1;
    const rec = snapshot.rec;
    const fences = snapshot.fences;

    for (let h = 0; h < hits.length; h++) {
      const i = hits[h]!;
      const o = i * REC;
      if (rec[o + 9] !== tenant) continue;
      const f = fences[i]!;
      const member = visit(members, f, stamp);
      if (accuracy > rec[o + 8]!) continue; // gated: nothing changes for this fence
      let applies = true;
      if (f.schedule !== null || f.rule !== null) {
        applies = this.applies(f, p, facts ?? (facts = this.factsOf(p.vehicleId)));
        if (!applies && member === undefined) continue; // outside for this vehicle, and already so
      }
      const inBox = x >= rec[o + 4]! && x <= rec[o + 6]! && y >= rec[o + 5]! && y <= rec[o + 7]!;
      let covered: boolean;
      if (!applies || !inBox || x < rec[o]! || x > rec[o + 2]! || y < rec[o + 1]! || y > rec[o + 3]!) {
        covered = false;
      } else if (member !== undefined && member.fence === f && member.safe > 0 && withinMeters(member, x, y)) {
        covered = true;
      } else {
        const cell = cellAt(rec, snapshot.cells, o, x, y);
        covered = cell === CELL_INSIDE || (cell !== CELL_OUTSIDE && covers(f.shape, x, y));
        // near the boundary (the raster could not tell): remember how deep, to skip the exact
        // test while the vehicle stays that deep
        if (covered && cell !== CELL_INSIDE && member !== undefined) {
          const depth = distanceToBoundary(f.shape, x, y);
          member.fence = f;
          member.refLng = x;
          member.refLat = y;
          member.refKx = Math.cos(y * RAD) * METERS_PER_DEGREE;
          member.safe = depth - Math.max(1, 0.01 * depth); // ≥ 1 m clear: far beyond rounding
        }
      }
      const crossable = hasPrev && applies && !covered && member === undefined && !(v.accuracy > f.maxAccuracy) && mayCross(snapshot, o, px, py, x, y);
      this.decide(members, member, f, f.shape, p, covered, inBox, applies, crossable ? v : null, stamp, snapshot.version, events);
    }

    // Dynamic fences of the tenant: few, each a moving circle, tested directly.
    const dynamic = snapshot.dynamicByTenant.get(p.tenantId);
    if (dynamic !== undefined) {
      for (const d of dynamic) {
        const f = d.fence;
        if (f.follow === p.vehicleId) continue; // the leader is never in its own fence
        const member = visit(members, f, stamp);
        if (accuracy > f.maxAccuracy) continue;
        const covered = covers(d.shape, x, y);
        const crossable = hasPrev && !covered && member === undefined && !(v.accuracy > f.maxAccuracy);
        this.decide(members, member, f, d.shape, p, covered, true, true, crossable ? v : null, stamp, snapshot.version, events);
      }
    }

    // Memberships in fences the query did not return: the point is outside their grown box, so
    // at least `hysteresis` meters outside.
    for (let k = members.length - 1; k >= 0; k--) {
      const member = members[k]!;
      if (member.seen === stamp) continue;
      const f = member.compiled;
      if (f === null || f.tenantId !== p.tenantId) {
        members.splice(k, 1); // fence deleted: dropped silently
        this.membershipChanged.add(p.vehicleId);
        continue;
      }
      if (accuracy > f.maxAccuracy) continue;
      const result = step(member.since, p.ts, f.dwellMs, false, true);
      if (result.next !== member.since) this.membershipChanged.add(p.vehicleId);
      if (result.next === undefined) members.splice(k, 1);
      else member.since = result.next;
      if (result.event) events.push({ type: result.event, geofenceId: f.id, vehicleId: p.vehicleId, at: p.ts, position: p });
    }

    if (snapshot.predictiveTenants.has(p.tenantId)) this.predict(snapshot, v, p, facts, events);

    v.lastTs = p.ts;
    v.lng = x;
    v.lat = y;
    v.accuracy = accuracy;
    v.last = p;

    // A leader moved: its circles move with it (from this position time on).
    const led = snapshot.dynamicByLeader.get(p.vehicleId);
    if (led !== undefined) for (const d of led) d.shape = circleAt(x, y, d.shape.radius);
  }

  /**
   * One vehicle, one fence, one position: membership step and its event. `covered` is the
   * geometric answer (false when the fence does not apply); `crossFrom` is the vehicle when a
   * `cross` from its previous position must be tested exactly (null: it cannot have crossed).
   */
  private decide(
    members: Member[], member: Member | undefined, f: CompiledFence, shape: Shape, p: Position,
    covered: boolean, inBox: boolean, applies: boolean, crossFrom: VehicleState | null, stamp: number, version: number, events: GeofenceEvent[],
  ): void {
    const current: Membership = member?.since;
    let crossedIn = false;
    let crossedOut = false;
    if (current === undefined) {
      if (covered) {
        crossedIn = f.hysteresis <= 0 || distanceToBoundary(shape, p.lng, p.lat) >= f.hysteresis;
      } else if (crossFrom !== null && segmentMeetsBoundary(shape, crossFrom.lng, crossFrom.lat, p.lng, p.lat) && !covers(shape, crossFrom.lng, crossFrom.lat)) {
        // both endpoints outside, the segment meets the boundary: it passed through the fence
        events.push({ type: 'cross', geofenceId: f.id, vehicleId: p.vehicleId, at: p.ts, position: p });
        return;
      }
    } else if (!covered) {
      // a fence that stops applying is left at once: no hysteresis band to wait out
      crossedOut = !applies || f.hysteresis <= 0 || !inBox || distanceToBoundary(shape, p.lng, p.lat) >= f.hysteresis;
    }
    const result = step(current, p.ts, f.dwellMs, crossedIn, crossedOut);
    if (result.next !== current) {
      this.membershipChanged.add(p.vehicleId);
      if (member === undefined) members.push(newMember(f.id, result.next!, stamp, f, version));
      else if (result.next === undefined) members.splice(members.indexOf(member), 1);
      else member.since = result.next;
    }
    if (result.event) events.push({ type: result.event, geofenceId: f.id, vehicleId: p.vehicleId, at: p.ts, position: p });
  }

  private factsOf(vehicleId: string): VehicleFacts {
    return this.options.vehicleFacts?.(vehicleId) ?? NO_FACTS;
  }

  /** Whether a temporal or conditional fence applies to this position. */
  private applies(f: CompiledFence, p: Position, facts: VehicleFacts): boolean {
    if (f.schedule !== null && !f.schedule.isActive(p.ts)) return false;
    if (f.rule !== null) {
      const attributes = p.attributes ? { ...facts.attributes, ...p.attributes } : facts.attributes;
      return f.rule.holds({ speed: p.speed, heading: p.heading, battery: p.battery, ts: p.ts, vehicleType: facts.type, attributes });
    }
    return true;
  }

  /**
   * predicted_enter for the tenant's predictive fences the vehicle's path ahead meets within
   * their window, once per approach: a fence stays announced while later paths still meet it,
   * and is forgotten when one does not, or when the vehicle is in it (see prediction.ts).
   */
  /** `known`: the vehicle's facts when this position already needed them; else looked up only once a prediction is due. */
  private predict(snapshot: FenceSnapshot, v: VehicleState, p: Position, known: VehicleFacts | null, events: GeofenceEvent[]): void {
    const motion = v.motion ?? (v.motion = new MotionHistory());
    if (p.speed === null || p.heading === null || !(p.speed >= MIN_PREDICTION_SPEED_KMH)) {
      v.predicted = null;
      v.pTs = -Infinity;
      return;
    }
    motion.add(p.ts, p.speed, p.heading);
    // A path holds for a while: look again after PREDICT_EVERY_MS, or at once when the vehicle turns
    // or changes speed markedly (a prediction costs an index query and exact tests per fence).
    const turned = Math.abs(((p.heading - v.pHeading + 540) % 360) - 180) > PREDICT_TURN_DEG;
    const sped = Math.abs(p.speed - v.pSpeed) > PREDICT_SPEED_CHANGE * Math.max(v.pSpeed, MIN_PREDICTION_SPEED_KMH);
    if (p.ts - v.pTs < PREDICT_EVERY_MS && !turned && !sped) return;
    v.pTs = p.ts;
    v.pHeading = p.heading;
    v.pSpeed = p.speed;
    const mps = p.speed / 3.6;
    const path = pathAhead(p.lng, p.lat, p.heading, mps * snapshot.maxPredictionS, (known ?? this.factsOf(p.vehicleId)).route);
    const [minX, minY, maxX, maxY] = pathBox(path.points);
    const hits = snapshot.predictiveIndex.search(minX, minY, maxX, maxY);
    const announced = v.predicted;
    let next: string[] | null = null;
    let stability: { heading: number; speed: number } | null = null;
    for (const i of hits) {
      const f = snapshot.predictive[i]!;
      if (f.tenantId !== p.tenantId || v.members.some((m) => m.compiled === f)) continue;
      const already = announced !== null && announced.includes(f.id);
      if ((p.accuracy ?? 0) > f.maxAccuracy) {
        if (already) (next ??= []).push(f.id); // a poor fix neither announces nor forgets
        continue;
      }
      if (covers(f.shape, p.lng, p.lat) || !pathMeets(f.shape, path.points)) continue;
      if (already) {
        (next ??= []).push(f.id); // the approach goes on
        continue;
      }
      stability ??= motion.stability(p.ts);
      const headingStability = path.onRoute ? 1 : stability.heading;
      // the best confidence any eta could give: below the threshold, no need to find the eta
      if (confidence(headingStability, stability.speed, p.accuracy, 0, f.prediction!.windowS) < f.prediction!.threshold) continue;
      const eta = distanceToFirstMeeting(f.shape, path.points)! / mps;
      if (eta > f.prediction!.windowS) continue;
      const c = confidence(headingStability, stability.speed, p.accuracy, eta, f.prediction!.windowS);
      if (c < f.prediction!.threshold) continue;
      (next ??= []).push(f.id);
      events.push({ type: 'predicted_enter', geofenceId: f.id, vehicleId: p.vehicleId, at: p.ts, position: p, etaSeconds: Math.round(eta), confidence: c });
    }
    v.predicted = next;
  }

  /**
   * Schedules move with the clock, not with positions: call this periodically (e.g. every
   * second) with the current time. For each temporal fence whose schedule turned active or
   * inactive since the last call, the tenant's vehicles are judged again at their last place at
   * time `now`: vehicles inside a fence that became active enter (after its dwell); members of
   * one that ended exit. Their newest evaluated time becomes `now`. The first call only learns
   * the schedules' states.
   */
  advanceTo(now: number): GeofenceEvent[] {
    const snapshot = this.snapshot;
    const events: GeofenceEvent[] = [];
    if (snapshot.temporal.length === 0) return events;
    const changed: CompiledFence[] = [];
    for (const f of snapshot.temporal) {
      const active = f.schedule!.isActive(now);
      const before = this.scheduleStates.get(f);
      this.scheduleStates.set(f, active);
      if (before !== undefined && before !== active) changed.push(f);
    }
    for (const f of changed) {
      for (const [vehicleId, v] of this.vehicles) {
        if (v.lastTs === -Infinity || v.lastTs >= now) continue;
        const tenantId = v.last?.tenantId ?? this.tenantOfMember(v, f);
        if (tenantId !== f.tenantId) continue;
        const member = v.members.find((m) => m.fenceId === f.id);
        const near = v.lng >= f.box.minX && v.lng <= f.box.maxX && v.lat >= f.box.minY && v.lat <= f.box.maxY;
        if (member === undefined && !near) continue;
        const p: Position = v.last
          ? { ...v.last, ts: now }
          : { tenantId, vehicleId, lng: v.lng, lat: v.lat, ts: now, speed: null, heading: null, accuracy: v.accuracy || null, altitude: null, battery: null, attributes: null };
        if ((p.accuracy ?? 0) > f.maxAccuracy) continue;
        const applies = this.applies(f, p, this.factsOf(vehicleId));
        const covered = applies && near && covers(f.shape, p.lng, p.lat);
        if (member !== undefined) {
          member.compiled = f;
          member.version = snapshot.version;
        }
        this.decide(v.members, member, f, f.shape, p, covered, near, applies, null, ++this.stamp, snapshot.version, events);
        v.lastTs = now;
      }
    }
    return events;
  }

  /** A restored vehicle has no last position yet: its tenant is its fences' tenant. */
  private tenantOfMember(v: VehicleState, f: CompiledFence): string | null {
    return v.members.some((m) => m.fenceId === f.id) ? f.tenantId : null;
  }

  // ------------------------------------------------------------------------------- state

  /** Fences the vehicle is confirmed inside (enter emitted, no exit yet). */
  insideOf(vehicleId: string): string[] {
    return (this.vehicles.get(vehicleId)?.members ?? []).filter((m) => m.since === CONFIRMED).map((m) => m.fenceId);
  }

  /** Vehicles confirmed inside a fence. */
  membersOf(geofenceId: string): string[] {
    const ids: string[] = [];
    for (const [id, v] of this.vehicles) if (v.members.some((m) => m.fenceId === geofenceId && m.since === CONFIRMED)) ids.push(id);
    return ids;
  }

  /** Membership of a vehicle in a fence: 'outside', 'pending' (dwell running) or 'inside'. */
  membership(vehicleId: string, geofenceId: string): 'outside' | 'pending' | 'inside' {
    const m = this.vehicles.get(vehicleId)?.members.find((e) => e.fenceId === geofenceId);
    return m === undefined ? 'outside' : m.since === CONFIRMED ? 'inside' : 'pending';
  }

  /** Forgets a vehicle (deleted): no events. */
  forgetVehicle(vehicleId: string): void {
    if (this.vehicles.get(vehicleId)?.members.length) this.membershipChanged.add(vehicleId);
    this.vehicles.delete(vehicleId);
  }

  /**
   * The vehicles whose memberships began, were confirmed or ended since the last call, each with
   * its memberships now (`[geofenceId, since]`, empty when it is in none or was forgotten), so
   * a saver writes what changed in time proportional to the changes, not to the fleet.
   */
  takeMembershipChanges(): Array<{ vehicleId: string; fences: Array<[string, number]> }> {
    const changes: Array<{ vehicleId: string; fences: Array<[string, number]> }> = [];
    for (const vehicleId of this.membershipChanged) {
      const members = this.vehicles.get(vehicleId)?.members ?? [];
      changes.push({ vehicleId, fences: members.map((m) => [m.fenceId, m.since]) });
    }
    this.membershipChanged.clear();
    return changes;
  }

  /** Puts vehicles back among the changed ones (their save failed: the next one retries). */
  markMembershipChanged(vehicleIds: readonly string[]): void {
    for (const id of vehicleIds) this.membershipChanged.add(id);
  }

  get vehicleCount(): number {
    return this.vehicles.size;
  }

  /** Everything needed to continue after a restart without duplicate or missing events. */
  snapshotMembership(): MembershipSnapshot {
    const vehicles: MembershipSnapshot['vehicles'] = [];
    for (const [vehicleId, v] of this.vehicles) {
      if (v.lastTs === -Infinity) continue;
      vehicles.push({ vehicleId, lastTs: v.lastTs, lng: v.lng, lat: v.lat, accuracy: v.accuracy, fences: v.members.map((m) => [m.fenceId, m.since]) });
    }
    return { version: 1, vehicles };
  }

  /** Replaces all membership state with a snapshot (fences unknown now are dropped at the vehicle's next position). */
  restoreMembership(snapshot: MembershipSnapshot): void {
    if (snapshot?.version !== 1 || !Array.isArray(snapshot.vehicles)) throw new Error('unsupported membership snapshot');
    this.vehicles.clear();
    this.membershipChanged.clear();
    for (const v of snapshot.vehicles) {
      if (!Number.isFinite(v.lastTs) || !Number.isFinite(v.lng) || !Number.isFinite(v.lat)) throw new Error(`membership snapshot: bad vehicle ${v.vehicleId}`);
      this.vehicles.set(v.vehicleId, {
        ...newVehicle(),
        lastTs: v.lastTs,
        lng: v.lng,
        lat: v.lat,
        accuracy: Number.isFinite(v.accuracy) ? v.accuracy : 0,
        members: v.fences.map(([fenceId, since]) => newMember(fenceId, since, 0)),
      });
    }
  }
}

