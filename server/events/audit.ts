import type { Principal } from '../auth/tokens';
import { uuid7 } from './uuid7';
import { diff, newEvent, type Actor, type ChangeSet, type EventData, type EventType, type NewEvent } from '../protocol/events';

/**
 * What a person's change records in the event log: who (the user), which request (one
 * correlation id for every event of it) and the object's fields before/after — never its secrets.
 * Each mutating request calls one service method, which makes one `Audit`, so "one per service
 * call" is "one per request".
 */
export class Audit {
  readonly actor: Actor;
  readonly correlationId = uuid7();

  constructor(readonly principal: Principal) {
    this.actor = { kind: 'user', id: principal.userId };
  }

  /** An event of the caller's tenant about `aggregateId`. */
  event<T extends EventType>(type: T, aggregateId: string, data: EventData<T>): NewEvent {
    return newEvent<T>({ tenantId: this.principal.tenantId, type, aggregateId, actor: this.actor, correlationId: this.correlationId, data });
  }
}

/**
 * Fields that grant access (a device's or a share link's token) or verify it (a password hash):
 * an event is read by everyone who may read the log and sent to webhooks, so these never enter it.
 */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'passwordHash', 'deviceToken', 'shareToken']);

/** The record without its secret fields (top level: the objects we audit keep secrets there). */
export function withoutSecrets(record: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!SECRET_FIELDS.has(key)) kept[key] = value;
  return kept;
}

/** The changed fields of an object, secrets left out (a rotated token is no one's business but its holder's). */
export function changesOf(before: Record<string, unknown>, after: Record<string, unknown>, fields?: readonly string[]): ChangeSet {
  return diff(withoutSecrets(before), withoutSecrets(after), fields?.filter((f) => !SECRET_FIELDS.has(f)));
}

/** Geometries larger than this (as JSON) are summarized in events. */
export const MAX_EVENT_GEOMETRY_CHARS = 64_000;

interface Geometry {
  type: string;
  coordinates?: unknown;
}

/**
 * A geometry as an event keeps it: the GeoJSON itself, or — for very large ones (a country
 * border with 100k vertices) — its type, vertex count and bounding box, so one edit does not put
 * megabytes into the log and into every webhook delivery. The object itself still has it all.
 */
export function geometryForEvent<G extends Geometry>(geometry: G): G | { type: string; summarized: true; vertices: number; bbox: [number, number, number, number] } {
  if (JSON.stringify(geometry).length <= MAX_EVENT_GEOMETRY_CHARS) return geometry;
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  let vertices = 0;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      vertices++;
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1]);
      return;
    }
    for (const inner of c) visit(inner);
  };
  visit(geometry.coordinates);
  return { type: geometry.type, summarized: true, vertices, bbox: box };
}

interface Feature {
  geometry: Geometry;
  properties: object;
}

/** A feature's geometry and properties as one flat record, without the properties the server derives. */
function featureRecord(feature: Feature, derived: readonly string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...(feature.properties as Record<string, unknown>) };
  for (const key of derived) delete properties[key];
  return { geometry: feature.geometry, ...properties };
}

/**
 * A GeoJSON Feature (fence, route) as its created/deleted event carries it: geometry (summarized
 * when huge) and the properties a person sets — not `derived` ones such as area or timestamps.
 */
export function auditedFeature(feature: Feature, derived: readonly string[]): Record<string, unknown> {
  return withoutSecrets({ ...featureRecord(feature, derived), geometry: geometryForEvent(feature.geometry) });
}

/** What changed between two versions of a feature; a changed geometry is compared whole, then summarized if huge. */
export function featureChanges(before: Feature, after: Feature, derived: readonly string[]): ChangeSet {
  const changes = changesOf(featureRecord(before, derived), featureRecord(after, derived));
  if (changes.geometry) changes.geometry = { before: geometryForEvent(before.geometry), after: geometryForEvent(after.geometry) };
  return changes;
}
