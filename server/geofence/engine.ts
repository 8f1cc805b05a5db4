import type { Position } from '../protocol/position';
import {
  compileShape, covers, distanceToBoundary, expandBbox, GeometryError, METERS_PER_DEGREE, segmentMeetsBoundary,
  type Bbox, type Shape,
} from './geometry';
import { FenceIndex } from './index';
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
}

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
  switch (def.kind) {
    case 'static':
      break;
    default: {
      const kind: never = def.kind;
      throw new GeofenceError(def.id, `kind ${String(kind)} is not supported yet`, 'kind');
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
  };
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
function buildSnapshot(unordered: CompiledFence[]): FenceSnapshot {
  const keys = new Map(unordered.map((f) => [f, zKey(f.box)]));
  const fences = [...unordered].sort((a, b) => keys.get(a)! - keys.get(b)!);
  const byId = new Map<string, CompiledFence>();
  for (const f of fences) {
    if (byId.has(f.id)) throw new GeofenceError(f.id, 'duplicate id', 'id');
    byId.set(f.id, f);
  }
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
  return { fences, byId, index: new FenceIndex(fences.map((f) => f.box)), version: ++snapshotVersion, tenants, rec, cells };
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
}

const CANDIDATE_MARGIN_M = 150;

const newVehicle = (): VehicleState => ({
  lastTs: -Infinity, lng: 0, lat: 0, accuracy: 0, members: [], candidates: null, cVersion: -1, cMinX: 0, cMinY: 0, cMaxX: 0, cMaxY: 0,
});

const RAD = Math.PI / 180;

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
  private snapshot: FenceSnapshot = buildSnapshot([]);
  private readonly vehicles = new Map<string, VehicleState>();
  private stamp = 0;

  // ------------------------------------------------------------------------------- fences

  /** Replaces every fence (all or nothing: an invalid definition throws and changes nothing). */
  setFences(defs: readonly GeofenceDefinition[]): void {
    // compile in Z-order so each fence's arrays are allocated next to its neighbours'
    const ordered = defs
      .map((def) => ({ def, key: zKey(boxOf(def)) }))
      .sort((a, b) => a.key - b.key)
      .map(({ def }) => compileFence(def));
    this.snapshot = buildSnapshot(ordered);
  }

  /** Adds or replaces one fence; memberships in it are kept and re-judged on the next position. */
  upsert(def: GeofenceDefinition): void {
    const compiled = compileFence(def);
    const fences = this.snapshot.fences.filter((f) => f.id !== def.id);
    fences.push(compiled);
    this.snapshot = buildSnapshot(fences);
  }

  /** Removes a fence; memberships in it are dropped without an exit. Returns whether it existed. */
  remove(id: string): boolean {
    if (!this.snapshot.byId.has(id)) return false;
    this.snapshot = buildSnapshot(this.snapshot.fences.filter((f) => f.id !== id));
    return true;
  }

  get fenceCount(): number {
    return this.snapshot.fences.length;
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
    const px = v.lng;
    const py = v.lat;
    const prevAccuracy = v.accuracy;
    const members = v.members;

    for (let k = 0; k < members.length; k++) {
      const m = members[k]!;
      if (m.version !== snapshot.version) {
        m.compiled = snapshot.byId.get(m.fenceId) ?? null;
        m.version = snapshot.version;
      }
    }

    // One query covers the current point and the segment from the previous one (cross).
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
      let member: Member | undefined;
      for (let k = 0; k < members.length; k++) {
        if (members[k]!.compiled === f) {
          member = members[k];
          member!.seen = stamp;
          break;
        }
      }
      if (accuracy > rec[o + 8]!) continue; // gated: nothing changes for this fence
      const inBox = x >= rec[o + 4]! && x <= rec[o + 6]! && y >= rec[o + 5]! && y <= rec[o + 7]!;
      let covered: boolean;
      if (!inBox || x < rec[o]! || x > rec[o + 2]! || y < rec[o + 1]! || y > rec[o + 3]!) {
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
      const current: Membership = member?.since;
      let crossedIn = false;
      let crossedOut = false;
      if (current === undefined) {
        if (covered) {
          crossedIn = f.hysteresis <= 0 || distanceToBoundary(f.shape, x, y) >= f.hysteresis;
        } else if (hasPrev && !(prevAccuracy > f.maxAccuracy) && mayCross(snapshot, o, px, py, x, y)
          && segmentMeetsBoundary(f.shape, px, py, x, y) && !covers(f.shape, px, py)) {
          // both endpoints outside, the segment meets the boundary: it passed through the fence
          events.push({ type: 'cross', geofenceId: f.id, vehicleId: p.vehicleId, at: p.ts, position: p });
          continue;
        }
      } else if (!covered) {
        crossedOut = f.hysteresis <= 0 || !inBox || distanceToBoundary(f.shape, x, y) >= f.hysteresis;
      }
      const result = step(current, p.ts, f.dwellMs, crossedIn, crossedOut);
      if (result.next !== current) {
        if (member === undefined) members.push(newMember(f.id, result.next!, stamp, f, snapshot.version));
        else if (result.next === undefined) members.splice(members.indexOf(member), 1);
        else member.since = result.next;
      }
      if (result.event) events.push({ type: result.event, geofenceId: f.id, vehicleId: p.vehicleId, at: p.ts, position: p });
    }

    // Memberships in fences the query did not return: the point is outside their grown box, so
    // at least `hysteresis` meters outside.
    for (let k = members.length - 1; k >= 0; k--) {
      const member = members[k]!;
      if (member.seen === stamp) continue;
      const f = member.compiled;
      if (f === null || f.tenantId !== p.tenantId) {
        members.splice(k, 1); // fence deleted: dropped silently
        continue;
      }
      if (accuracy > f.maxAccuracy) continue;
      const result = step(member.since, p.ts, f.dwellMs, false, true);
      if (result.next === undefined) members.splice(k, 1);
      else member.since = result.next;
      if (result.event) events.push({ type: result.event, geofenceId: f.id, vehicleId: p.vehicleId, at: p.ts, position: p });
    }

    v.lastTs = p.ts;
    v.lng = x;
    v.lat = y;
    v.accuracy = accuracy;
  }

  // ------------------------------------------------------------------------------- state

  /** Fences the vehicle is confirmed inside (enter emitted, no exit yet). */
  insideOf(vehicleId: string): string[] {
    return (this.vehicles.get(vehicleId)?.members ?? []).filter((m) => m.since === CONFIRMED).map((m) => m.fenceId);
  }

  /** Membership of a vehicle in a fence: 'outside', 'pending' (dwell running) or 'inside'. */
  membership(vehicleId: string, geofenceId: string): 'outside' | 'pending' | 'inside' {
    const m = this.vehicles.get(vehicleId)?.members.find((e) => e.fenceId === geofenceId);
    return m === undefined ? 'outside' : m.since === CONFIRMED ? 'inside' : 'pending';
  }

  /** Forgets a vehicle (deleted): no events. */
  forgetVehicle(vehicleId: string): void {
    this.vehicles.delete(vehicleId);
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

