import type { ChangeSet, DomainEvent, EventType } from '@/server/protocol/events';
import { TRIP_STATUS_LABELS, type TripStatus } from '@/server/protocol/trips';

/**
 * The audit trail's words for an event: what a person did, to which object, and where that
 * object lives in the app. Pure, so every wording is unit-tested.
 */

/** The event types a person causes (the activity page's "what" filter and its stream's `types`). */
export const AUDIT_TYPES = [
  'vehicle.created',
  'vehicle.updated',
  'vehicle.deleted',
  'geofence.created',
  'geofence.changed',
  'geofence.deleted',
  'route.created',
  'route.changed',
  'route.deleted',
  'trip.created',
  'trip.status_changed',
  'trip.deleted',
  'alert.read',
  'alert.acknowledged',
  'alert.deleted',
  'reception.changed',
  'tenant.updated',
  'user.created',
  'user.updated',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'vehicle.token_rotated',
  'user.password_reset',
] as const satisfies readonly EventType[];

/** The "what" filter's labels. */
export const TYPE_LABELS: Record<(typeof AUDIT_TYPES)[number], string> = {
  'vehicle.created': 'Vehicle created',
  'vehicle.updated': 'Vehicle changed',
  'vehicle.deleted': 'Vehicle deleted',
  'geofence.created': 'Zone created',
  'geofence.changed': 'Zone changed',
  'geofence.deleted': 'Zone deleted',
  'route.created': 'Route created',
  'route.changed': 'Route changed',
  'route.deleted': 'Route deleted',
  'trip.created': 'Trip created',
  'trip.status_changed': 'Trip status changed',
  'trip.deleted': 'Trip deleted',
  'alert.read': 'Alert marked read',
  'alert.acknowledged': 'Alert acknowledged',
  'alert.deleted': 'Alert deleted',
  'reception.changed': 'Reception switched',
  'tenant.updated': 'Organisation settings changed',
  'user.created': 'User added',
  'user.updated': 'User changed',
  'webhook.created': 'Webhook created',
  'webhook.updated': 'Webhook changed',
  'webhook.deleted': 'Webhook deleted',
  'vehicle.token_rotated': 'Device token renewed',
  'user.password_reset': 'Password reset',
};

/** How the objects are called in sentences (geofences are "zones" in the editor). */
const NOUN: Record<string, string> = {
  vehicle: 'vehicle',
  geofence: 'geofence',
  route: 'route',
  trip: 'trip',
  alert: 'alert',
  tenant: 'organisation',
  user: 'user',
  webhook: 'webhook',
  dispatch: 'dispatch request',
};

/** A value in a change list: strings quoted, short values as they are, long ones elided. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 39)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = JSON.stringify(value);
  return json.length > 40 ? (Array.isArray(value) ? `[${value.length} items]` : '{…}') : json;
}

/** "name 'A' → 'B', severity medium → high" (at most `max` fields, then "and N more"). */
export function describeChanges(changes: ChangeSet, max = 4): string {
  const entries = Object.entries(changes);
  const shown = entries.slice(0, max).map(([field, c]) => `${field} ${formatValue(c.before)} → ${formatValue(c.after)}`);
  if (entries.length > max) shown.push(`and ${entries.length - max} more`);
  return shown.join(', ');
}

const dataOf = (event: DomainEvent) => event.data as Record<string, unknown>;

/** The object's name as the event recorded it (names may change later; the trail shows them as they were). */
function nameOf(event: DomainEvent): string {
  const data = dataOf(event);
  const named = (data.name ?? (data.after as Record<string, unknown> | undefined)?.name ?? (data.before as Record<string, unknown> | undefined)?.name) as unknown;
  return typeof named === 'string' && named ? named : '';
}

/** What happened, in words, without the actor: "changed geofence Depot North: name 'A' → 'B'". */
export function describeEvent(event: DomainEvent): string {
  const data = dataOf(event);
  const noun = NOUN[event.aggregate.type] ?? event.aggregate.type;
  const name = nameOf(event);
  const object = name ? `${noun} ${name}` : `a ${noun}`;
  const verb = event.type.slice(event.type.indexOf('.') + 1);
  switch (event.type) {
    case 'alert.read':
      return 'marked an alert read';
    case 'alert.acknowledged':
      return 'acknowledged an alert';
    case 'alert.deleted':
      return data.reason === 'expired' ? 'an alert expired' : 'deleted an alert';
    case 'trip.status_changed': {
      const label = (status: unknown) => TRIP_STATUS_LABELS[status as TripStatus] ?? String(status);
      return `moved a trip ${data.from ? `from ${label(data.from)} ` : ''}to ${label(data.to)}`;
    }
    case 'reception.changed':
      return `turned position reception ${data.enabled ? 'on' : 'off'}${data.vehicleId ? ' for a vehicle' : ' for the organisation'}`;
    case 'tenant.updated': {
      const changes = describeChanges((data.changes ?? {}) as ChangeSet);
      return `changed the organisation settings${changes ? `: ${changes}` : ''}`;
    }
    case 'user.created':
      return `added ${object}`;
    case 'vehicle.token_rotated':
      return `issued a new device token for ${object}`;
    case 'user.password_reset':
      return `reset the password of ${object}`;
    case 'webhook.disabled':
      return `webhook${name ? ` ${name}` : ''} was disabled: ${String(data.reason)}`;
  }
  if (verb === 'created') return `created ${object}`;
  if (verb === 'deleted') return `deleted ${object}`;
  if (verb === 'updated' || verb === 'changed') {
    const changes = describeChanges((data.changes ?? {}) as ChangeSet);
    return `changed ${object}${changes ? `: ${changes}` : ''}`;
  }
  return `${event.type.replace('_', ' ')} (${object})`;
}

/** The before/after (or created/deleted) state, for the row's expandable detail; null when there is none. */
export function beforeAfter(event: DomainEvent): { before: unknown; after: unknown } | null {
  const data = dataOf(event);
  if (data.changes && typeof data.changes === 'object') {
    const changes = data.changes as ChangeSet;
    return {
      before: Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.before])),
      after: Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.after])),
    };
  }
  if ('after' in data || 'before' in data) return { before: data.before ?? null, after: data.after ?? null };
  return null;
}

/** Where the object is seen in the app; null once it is deleted or for objects without a page. */
export function objectLink(event: DomainEvent): { href: string; label: string } | null {
  if (event.type.endsWith('.deleted')) return null;
  switch (event.aggregate.type) {
    case 'vehicle':
      return { href: '/map', label: 'Live map' };
    case 'geofence':
      return { href: '/editor/zones', label: 'Zone editor' };
    case 'route':
      return { href: '/editor/routes', label: 'Route editor' };
    case 'trip':
      return { href: '/trips', label: 'Trips' };
    default:
      return null;
  }
}
