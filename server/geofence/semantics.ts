import type { Position } from '../protocol/position';
import type { FenceGeometry } from './geometry';
import type { Rule } from './rules';
import type { WeeklySchedule } from './schedule';

/**
 * Fence definitions, events and the membership state machine of one vehicle in one fence.
 * The rules (docs/geofencing.md, "Geofence semantics"):
 *
 * - inside = covered: the boundary counts as inside (PostGIS ST_Covers);
 * - hysteresis h: an outside vehicle becomes inside only at ≥ h m inside; an inside (or pending)
 *   vehicle becomes outside only at ≥ h m outside; in between nothing changes;
 * - dwell d: becoming inside starts a pending stay; `enter` is emitted by the first accepted
 *   position at least d s (position time) after the stay began (d = 0: at once); becoming
 *   outside while pending emits nothing; `exit` only follows a confirmed `enter`;
 * - cross: a vehicle outside (no pending or confirmed stay) whose previous and current
 *   positions are both geometrically outside while the segment between them meets the fence;
 * - accuracy gating: a fix with accuracy worse than the fence's maxAccuracyMeters changes
 *   nothing for that fence (no enter, exit, confirmation, cancellation or cross);
 * - order: per vehicle by position time; a position not newer than the newest evaluated one
 *   for its vehicle (late or duplicate) changes nothing.
 */

export const DEFAULT_MAX_ACCURACY_M = 100;

/**
 * Kinds of fences (docs/geofencing.md, "Kinds"):
 * - static: always applies;
 * - dynamic: a circle of the fence's radius that moves with `followVehicleId` (its geometry is
 *   the circle's starting place); the leader is never a member of its own fence;
 * - temporal: applies only while `schedule` is active;
 * - conditional: applies to a vehicle only while `rule` (JSON Logic) holds for its position;
 * - predictive: a static fence that also emits `predicted_enter` for vehicles heading into it.
 * A fence that does not apply to a vehicle is evaluated as "outside" (by any distance: no
 * hysteresis band), so a vehicle inside it exits, and none enters or crosses.
 */
export type GeofenceKind = 'static' | 'dynamic' | 'temporal' | 'conditional' | 'predictive';

export interface GeofenceDefinition {
  id: string;
  /** Fences apply to positions of their own tenant only. */
  tenantId: string;
  kind: GeofenceKind;
  geometry: FenceGeometry;
  /** ≥ 0, default 0. */
  hysteresisMeters?: number;
  /** ≥ 0, default 0. */
  dwellSeconds?: number;
  /** Fixes with a larger reported accuracy do not change membership; default 100 m. */
  maxAccuracyMeters?: number;
  /** dynamic: the vehicle the circle follows (geometry must be a Circle). */
  followVehicleId?: string;
  /** temporal: the weekly schedule. */
  schedule?: WeeklySchedule;
  /** conditional: the JSON Logic rule, and the zone of its localTime / dayOfWeek (default UTC). */
  rule?: Rule;
  timezone?: string;
  /** predictive: how far ahead to look (default 10 min) and the confidence to announce (default 0.6). */
  windowMinutes?: number;
  confidenceThreshold?: number;
}

export type GeofenceEventType = 'enter' | 'exit' | 'cross' | 'predicted_enter';

export interface GeofenceEvent {
  type: GeofenceEventType;
  geofenceId: string;
  vehicleId: string;
  /** Position time (epoch ms) of the position that caused the event. */
  at: number;
  position: Position;
  /** predicted_enter: seconds until the path meets the fence, and how sure (0–1). */
  etaSeconds?: number;
  confidence?: number;
}

/** `since` of a confirmed membership (the enter was emitted). */
export const CONFIRMED = -1;

/**
 * Membership of a vehicle in a fence: `undefined` = outside; CONFIRMED = inside, enter
 * emitted; any other number = inside since that position time, enter pending (dwell).
 */
export type Membership = number | undefined;

export interface Step {
  next: Membership;
  event: 'enter' | 'exit' | null;
}

const STAY: Step = { next: undefined, event: null };

/**
 * One accepted, in-order position for one (vehicle, fence).
 * `crossedIn`: (when outside) the position is at least h meters inside;
 * `crossedOut`: (when pending/confirmed) the position is at least h meters outside.
 * Only the flag relevant to the current membership is read.
 */
export function step(current: Membership, ts: number, dwellMs: number, crossedIn: boolean, crossedOut: boolean): Step {
  if (current === undefined) {
    if (!crossedIn) return STAY;
    return dwellMs <= 0 ? { next: CONFIRMED, event: 'enter' } : { next: ts, event: null };
  }
  if (current === CONFIRMED) return crossedOut ? { next: undefined, event: 'exit' } : { next: CONFIRMED, event: null };
  // pending since `current`
  if (crossedOut) return { next: undefined, event: null };
  if (ts - current >= dwellMs) return { next: CONFIRMED, event: 'enter' };
  return { next: current, event: null };
}
