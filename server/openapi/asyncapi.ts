import { z } from 'zod';
import { ALERT_EVENTS } from '../protocol/alerts';
import { EVENT_CATALOGUE } from '../protocol/events';
import { FLEET_EVENTS, subscribeRequest } from '../protocol/fleet';
import { GEOFENCE_EVENTS } from '../protocol/geofences';
import { METRICS_EVENT } from '../protocol/metrics';
import { positionInput } from '../protocol/position';
import { ROUTE_EVENTS } from '../protocol/routes';
import { spatialSocketQuery } from '../protocol/spatial';
import { TRIP_EVENTS } from '../protocol/trips';
import { jsonSchema } from './document';

type Json = Record<string, unknown>;

const ERROR_ACK = 'On failure the ack is `{ok:false, error:{code,message,field?}}`; RATE_LIMITED when the socket sends faster than FLEET_MESSAGES_PER_S.';

/**
 * Socket.IO events, both directions. Client → server events carry the zod schema they are
 * validated with; server → client events name the TypeScript type of their payload.
 */
const FLEET_MESSAGES: Array<{ event: string; direction: 'send' | 'receive'; summary: string; schema?: z.ZodType; payload?: string }> = [
  { event: FLEET_EVENTS.subscribe, direction: 'receive', schema: subscribeRequest, summary: `Subscribe to a scope; ack {ok:true, vehicles: VehicleSnapshot[], trip?}. ${ERROR_ACK}` },
  { event: FLEET_EVENTS.unsubscribe, direction: 'receive', schema: subscribeRequest, summary: 'Leave a scope; ack {ok:true}.' },
  { event: FLEET_EVENTS.query, direction: 'receive', schema: spatialSocketQuery, summary: 'Spatial query (within, nearby, nearest, history), same parameters as the REST routes; ack: the result, or `{error:{code,message,field?}}` (RATE_LIMITED beyond FLEET_MESSAGES_PER_S).' },
  { event: METRICS_EVENT, direction: 'receive', summary: 'Ask for the fleet KPIs now; ack FleetMetricsSnapshot (also pushed every 2 s).', payload: 'none (ack only)' },
  { event: FLEET_EVENTS.positions, direction: 'send', summary: 'One frame per tick: changed vehicles, delta-encoded (server/protocol/fleet-frame.ts).', payload: 'PositionsFrame {at, v:number[], n?:VehicleInfo[], out?:number[]}' },
  { event: FLEET_EVENTS.snapshot, direction: 'send', summary: 'Slow-client protection: deltas were dropped while the socket could not keep up; replace the state with this snapshot.', payload: '{at, vehicles: VehicleSnapshot[]}' },
  { event: FLEET_EVENTS.status, direction: 'send', summary: 'A vehicle went online/offline.', payload: 'VehicleStatusEvent {id, idx, status, at}' },
  { event: FLEET_EVENTS.route, direction: 'send', summary: 'A vehicle came off its route or back on it.', payload: 'VehicleRouteEvent {id, idx, offRoute, at}' },
  { event: FLEET_EVENTS.info, direction: 'send', summary: 'A vehicle was created or its facts changed.', payload: 'VehicleInfo {id, idx, name, plate, type}' },
  { event: FLEET_EVENTS.removed, direction: 'send', summary: 'A vehicle was deleted.', payload: '{id, idx}' },
  { event: METRICS_EVENT, direction: 'send', summary: 'Fleet KPIs, every 2 s.', payload: 'FleetMetricsSnapshot' },
  { event: ALERT_EVENTS.alert, direction: 'send', summary: 'A new alert.', payload: 'AlertDto' },
  { event: ALERT_EVENTS.read, direction: 'send', summary: 'Alerts marked read or acknowledged.', payload: 'AlertReadEvent' },
  { event: ALERT_EVENTS.deleted, direction: 'send', summary: 'Alerts deleted.', payload: 'AlertDeletedEvent {ids}' },
  { event: ALERT_EVENTS.restored, direction: 'send', summary: 'Deleted alerts brought back by undo.', payload: 'AlertRestoredEvent {alerts}' },
  { event: GEOFENCE_EVENTS.event, direction: 'send', summary: 'A vehicle entered/exited/crossed a geofence.', payload: 'GeofenceEventMessage' },
  { event: GEOFENCE_EVENTS.changed, direction: 'send', summary: 'A geofence was created or changed.', payload: 'GeofenceDto' },
  { event: GEOFENCE_EVENTS.removed, direction: 'send', summary: 'A geofence was deleted.', payload: '{id}' },
  { event: ROUTE_EVENTS.changed, direction: 'send', summary: 'A route was created or changed.', payload: 'RouteDto' },
  { event: ROUTE_EVENTS.removed, direction: 'send', summary: 'A route was deleted.', payload: '{id}' },
  { event: TRIP_EVENTS.update, direction: 'send', summary: 'A trip was created or changed state.', payload: 'TripDto' },
];

const DRIVER_MESSAGES: typeof FLEET_MESSAGES = [
  { event: 'position', direction: 'receive', schema: positionInput, summary: 'One position; ack PositionsAck {accepted, rejected[]} once durable.' },
  { event: 'positions', direction: 'receive', schema: z.array(positionInput).max(1000), summary: 'Up to 1000 positions; ack PositionsAck once durable.' },
];

const slug = (s: string) => s.replace(/[^a-zA-Z0-9]+/g, '_');

/** The AsyncAPI 3.0 document: /fleet and /driver, and the domain event catalogue (SSE, webhooks). */
export function asyncApiDocument(): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const namespace = (name: string, description: string, list: typeof FLEET_MESSAGES) => {
    const channelMessages: Json = {};
    for (const m of list) {
      const id = `${slug(name)}_${m.direction}_${slug(m.event)}`;
      messages[id] = {
        name: m.event,
        summary: m.summary,
        payload: m.schema ? jsonSchema(m.schema) : { description: m.payload ?? '' },
      };
      channelMessages[id] = { $ref: `#/components/messages/${id}` };
      operations[id] = {
        action: m.direction,
        channel: { $ref: `#/channels/${slug(name)}` },
        summary: `${m.direction === 'receive' ? 'client → server' : 'server → client'}: ${m.event}`,
        messages: [{ $ref: `#/channels/${slug(name)}/messages/${id}` }],
      };
    }
    channels[slug(name)] = { address: name, description, messages: channelMessages };
  };
  namespace(
    '/fleet',
    'Dashboards. Handshake auth {token: JWT} (roles admin, manager, viewer). Connection errors (connect_error.message = code, .data = {code,message}): UNAUTHORIZED, FORBIDDEN, RATE_LIMITED (MAX_CONNECTIONS_PER_TENANT), and origins outside ALLOWED_ORIGINS are refused at the handshake.',
    FLEET_MESSAGES,
  );
  namespace(
    '/driver',
    'Devices and driver phones. Handshake auth {token: device token | JWT}. At most MAX_CONNECTIONS_PER_DEVICE sockets per device token or driver (connect_error RATE_LIMITED beyond; admin/manager gateways: tenant limit only), and MAX_CONNECTIONS_PER_TENANT per tenant. Messages larger than SOCKET_MAX_MESSAGE_BYTES close the connection.',
    DRIVER_MESSAGES,
  );

  const eventMessages: Json = {};
  for (const [type, entry] of Object.entries(EVENT_CATALOGUE)) {
    const id = `event_${slug(type)}`;
    messages[id] = {
      name: type,
      summary: `Domain event ${type} (aggregate: ${entry.aggregate}); the envelope is DomainEvent {id, seq, tenantId, type, aggregate, version, at, actor, correlationId, causationId, data}.`,
      payload: { type: 'object', properties: { type: { const: type }, data: jsonSchema(entry.data) } },
    };
    eventMessages[id] = { $ref: `#/components/messages/${id}` };
  }
  channels.domain_events = {
    address: '/api/v1/events/stream',
    description: 'The domain event catalogue (server/protocol/events.ts): the same events in GET /api/v1/events, Server-Sent Events and webhook deliveries.',
    messages: eventMessages,
  };
  operations.domain_events = {
    action: 'send',
    channel: { $ref: '#/channels/domain_events' },
    summary: 'server → subscriber: domain events',
    messages: Object.keys(eventMessages).map((id) => ({ $ref: `#/channels/domain_events/messages/${id}` })),
  };

  return {
    asyncapi: '3.0.0',
    info: { title: 'GeoFleet real-time API', version: '1', description: 'Socket.IO namespaces (Socket.IO 4 protocol over WebSocket / HTTP long-polling) and the domain event catalogue.' },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
