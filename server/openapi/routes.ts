import { z } from 'zod';
import { alertRuleSet, alertSnoozeInput, DEFAULT_RULE_SET } from '../protocol/alert-rules';
import { alertPatch, alertsBulkDelete, alertsBulkPatch, alertsFilter, alertsQuery, alertsRestore } from '../protocol/alerts';
import { loginRequest } from '../protocol/auth';
import { resetPasswordRequest, updateUserRequest } from '../protocol/admin';
import { drivingEventsQuery, drivingSettingsRequest, scoresQuery } from '../protocol/driving';
import { eventsQuery } from '../protocol/events';
import { geocodeQuery, reverseGeocodeQuery } from '../protocol/geocode';
import { featurePatch, geofenceEventsQuery, geofenceFeature } from '../protocol/geofences';
import { positionInput } from '../protocol/position';
import { routeFeature, routeVehicles } from '../protocol/routes';
import { routeQuery } from '../protocol/routing';
import { historyQuery, nearbyQuery, nearestQuery, withinBboxQuery, withinPolygonRequest } from '../protocol/spatial';
import { createTripRequest, listTripsQuery, tripStatusRequest } from '../protocol/trips';
import { createUserRequest, receptionRequest, updateTenantRequest } from '../protocol/users';
import { createVehicleList, createVehicleRequest, updateVehicleRequest } from '../protocol/vehicles';
import { deliveriesQuery, webhookCreate, webhookPatch } from '../protocol/webhooks';
import { replayQuery, reportQuery } from '../protocol/reports';
import { reportScheduleCreate, reportSchedulePatch } from '../protocol/report-schedules';
import { assignDispatchRequest, cancelDispatchRequest, createDispatchRequest, declineDispatchRequest, dispatchSettingsRequest, listDispatchQuery, DEFAULT_WEIGHTS } from '../protocol/dispatch';
import { streamQuery } from '../events/stream/open';
import { FLEET_READERS } from '../http/route';
import type { RouteDoc } from './registry';

/**
 * Every REST operation of app/api, documented: the OpenAPI document (/api/openapi.json) is
 * generated from this list and the zod schemas it names, and openapi-coverage.test.ts fails when
 * a route.ts exports a method that is not here. Adding a route = adding one entry.
 */
const ADMIN = ['admin'] as const;
const EDITORS = ['admin', 'manager'] as const;
const ID = 'e3b0c442-98fc-4c1c-9afb-f4c8996fb924';
const CRUD_ERRORS = ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'] as const;
const READ_ERRORS = ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'] as const;
const QUERY_ERRORS = ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN'] as const;
const INGEST_ERRORS = ['VALIDATION_ERROR', 'UNAUTHORIZED', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'RECEPTION_DISABLED', 'UNAVAILABLE'] as const;
const tile = (what: string) => ({ description: `${what} (Mapbox Vector Tile)`, contentType: 'application/vnd.mapbox-vector-tile' });
const polygon = { type: 'Polygon', coordinates: [[[-76.62, 39.28], [-76.6, 39.28], [-76.6, 39.3], [-76.62, 39.28]]] };
const geofenceExample = { type: 'Feature', geometry: polygon, properties: { name: 'Depot', type: 'DEPOT' } };
const dispatchExample = { kind: 'service', serviceType: 'delivery', location: { lng: -76.61, lat: 39.29, label: '100 E Pratt St', source: 'address' }, capabilities: ['refrigerated'] };
const routeExample = { type: 'Feature', geometry: { type: 'LineString', coordinates: [[-76.62, 39.28], [-76.6, 39.3]] }, properties: { name: 'Harbour loop' } };

export const ROUTE_DOCS: RouteDoc[] = [
  // ── service ──
  { method: 'GET', path: '/api/health', tag: 'service', summary: 'Liveness and database reachability', auth: 'none', response: { description: '{status:"ok", db:"ok"}; 503 with the reason otherwise', example: { status: 'ok', db: 'ok' } }, errors: [] },
  { method: 'GET', path: '/api/ready', tag: 'service', summary: 'Readiness for load balancers: database, migrations, ingest queue, not starting or shutting down', auth: 'none', response: { description: '{ready:true}; 503 {ready:false, reasons} otherwise', example: { ready: true } }, errors: [] },
  { method: 'GET', path: '/api/openapi.json', tag: 'service', summary: 'This OpenAPI 3.1 document', auth: 'none', response: { description: 'OpenAPI 3.1 document' }, errors: [] },
  { method: 'GET', path: '/api/asyncapi.json', tag: 'service', summary: 'AsyncAPI 3.0 document of the Socket.IO namespaces and the domain event catalogue', auth: 'none', response: { description: 'AsyncAPI 3.0 document' }, errors: [] },
  { method: 'GET', path: '/api/docs', tag: 'service', summary: 'Interactive API reference (bundled viewer, works offline)', auth: 'none', response: { description: 'HTML page', contentType: 'text/html' }, errors: [] },
  { method: 'GET', path: '/api/docs/{asset}', tag: 'service', summary: 'Static files of the API reference viewer', auth: 'none', response: { description: 'JavaScript or CSS', contentType: 'text/javascript' }, errors: ['NOT_FOUND'] },

  // ── auth, tenant, users ──
  { method: 'POST', path: '/api/v1/auth/login', tag: 'auth', summary: 'Log in: a JWT for the Authorization header', auth: 'none', body: loginRequest, example: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' }, response: { description: '{token, user}' }, errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'] },
  { method: 'POST', path: '/api/v1/auth/refresh', tag: 'auth', summary: 'A new access token from the refresh cookie (httpOnly, set by login with session:true); the cookie is rotated', auth: 'none', response: { description: '{token, user, expiresAt} and Set-Cookie' }, errors: ['UNAUTHORIZED'] },
  { method: 'POST', path: '/api/v1/auth/logout', tag: 'auth', summary: "Sign out: the session's refresh tokens are revoked and the cookie cleared", auth: 'none', response: { status: 204, description: 'no content' }, errors: [] },
  { method: 'GET', path: '/api/v1/auth/me', tag: 'auth', summary: 'The logged-in user', auth: 'jwt', response: { description: '{user}' }, errors: ['UNAUTHORIZED'] },
  { method: 'GET', path: '/api/v1/tenant', tag: 'tenant', summary: "The caller's tenant", auth: 'jwt', response: { description: '{tenant}' }, errors: ['UNAUTHORIZED'] },
  { method: 'PATCH', path: '/api/v1/tenant', tag: 'tenant', summary: 'Rename the tenant or change its settings', auth: 'jwt', roles: ADMIN, body: updateTenantRequest, response: { description: '{tenant}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/users', tag: 'tenant', summary: "The tenant's users", auth: 'jwt', roles: EDITORS, response: { description: '{users}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/users', tag: 'tenant', summary: 'Create a user', auth: 'jwt', roles: ADMIN, body: createUserRequest, example: { email: 'dispatch@example.com', name: 'Dispatch', role: 'manager', password: 'a-long-password' }, response: { status: 201, description: '{user}' }, errors: CRUD_ERRORS },
  { method: 'PATCH', path: '/api/v1/users/{id}', tag: 'tenant', summary: "Change a user's name or role, or deactivate them (active:false: their tokens stop working at once, REST and sockets)", auth: 'jwt', roles: ADMIN, body: updateUserRequest, example: { active: false }, response: { description: '{user}' }, errors: CRUD_ERRORS },
  { method: 'POST', path: '/api/v1/users/{id}/password', tag: 'tenant', summary: "Set a user's password; their sessions end", auth: 'jwt', roles: ADMIN, body: resetPasswordRequest, example: { password: 'a-new-long-password' }, response: { status: 204, description: 'no content' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/reception', tag: 'tenant', summary: 'Whether the tenant accepts positions', auth: 'jwt', response: { description: '{enabled}' }, errors: ['UNAUTHORIZED'] },
  { method: 'PUT', path: '/api/v1/reception', tag: 'tenant', summary: 'Turn position reception on or off for the tenant', auth: 'jwt', roles: ADMIN, body: receptionRequest, example: { enabled: false }, response: { description: '{enabled}' }, errors: CRUD_ERRORS },

  // ── driving behaviour ──
  { method: 'GET', path: '/api/v1/driving-events', tag: 'driving', summary: 'Driving events (harsh braking, acceleration, cornering, speeding, idling, possible collisions) with their evidence, newest first; drivers see their own', auth: 'jwt', query: drivingEventsQuery, response: { description: '{events}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/scores', tag: 'driving', summary: 'Driving scores 0–100 per driver or vehicle and day, week or month; drivers see their own', auth: 'jwt', query: scoresQuery, response: { description: '{rows, totals}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/driving-settings', tag: 'driving', summary: "The tenant's driving settings: which events alert, threshold overrides, score weights", auth: 'jwt', roles: EDITORS, response: { description: '{settings}' }, errors: READ_ERRORS },
  { method: 'PUT', path: '/api/v1/driving-settings', tag: 'driving', summary: "Replace the tenant's driving settings", auth: 'jwt', roles: ADMIN, body: drivingSettingsRequest, example: { alertOn: ['harsh_brake', 'possible_collision'], thresholds: { brakeG: 0.35 } }, response: { description: '{settings}' }, errors: CRUD_ERRORS },

  // ── vehicles ──
  { method: 'GET', path: '/api/v1/vehicles', tag: 'vehicles', summary: 'Vehicles of the tenant', auth: 'jwt', response: { description: '{vehicles}' }, errors: ['UNAUTHORIZED'] },
  { method: 'POST', path: '/api/v1/vehicles', tag: 'vehicles', summary: 'Create one vehicle, or up to 1000 (array); device tokens are returned once', auth: 'jwt', roles: ADMIN, body: z.union([createVehicleRequest, createVehicleList]), example: { name: 'Van 7', plate: 'MD 1234', type: 'van', deviceId: 'van-7' }, response: { status: 201, description: '{vehicle, deviceToken} or {vehicles}' }, errors: CRUD_ERRORS },
  { method: 'POST', path: '/api/v1/vehicles/import', tag: 'vehicles', summary: 'Import vehicles from CSV (columns name, deviceId, plate, type, group, driverEmail, speedLimitKmh, capabilities, receptionEnabled): all or nothing; every bad row and column in error.details.errors', auth: 'jwt', roles: ADMIN, body: { contentType: 'text/csv', description: 'CSV with a header row; `,` or `;` separated' }, response: { status: 201, description: '{vehicles, imported}' }, errors: CRUD_ERRORS },
  { method: 'POST', path: '/api/v1/vehicles/{id}/device-token', tag: 'vehicles', summary: 'Issue a new device token; the old one stops working at once', auth: 'jwt', roles: ADMIN, response: { description: '{deviceToken}' }, errors: READ_ERRORS },
  { method: 'GET', path: '/api/v1/vehicles/{id}', tag: 'vehicles', summary: 'One vehicle', auth: 'jwt', response: { description: '{vehicle}' }, errors: READ_ERRORS },
  { method: 'PATCH', path: '/api/v1/vehicles/{id}', tag: 'vehicles', summary: 'Change a vehicle', auth: 'jwt', roles: EDITORS, body: updateVehicleRequest, example: { name: 'Van 7b' }, response: { description: '{vehicle}' }, errors: CRUD_ERRORS },
  { method: 'DELETE', path: '/api/v1/vehicles/{id}', tag: 'vehicles', summary: 'Delete a vehicle', auth: 'jwt', roles: ADMIN, response: { description: '{deleted:true}' }, errors: READ_ERRORS },
  { method: 'PUT', path: '/api/v1/vehicles/{id}/reception', tag: 'vehicles', summary: "Turn one vehicle's position reception on or off", auth: 'jwt', roles: ADMIN, body: receptionRequest, response: { description: '{vehicle}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/vehicles/{id}/history', tag: 'spatial', summary: "A vehicle's positions between two instants; matched=true snaps them to the road network", auth: 'jwt', roles: FLEET_READERS, query: historyQuery, response: { description: 'GeoJSON LineString feature or positions' }, errors: [...QUERY_ERRORS, 'NOT_FOUND'] },

  // ── ingestion (device protocols) ──
  { method: 'POST', path: '/api/v1/positions', tag: 'ingestion', summary: 'Send one position or an array of at most 1000', auth: 'ingest', body: z.union([positionInput, z.array(positionInput)]), example: { lat: 39.29, lng: -76.61, timestamp: '2026-01-01T12:00:00Z', speed: 42 }, response: { description: 'PositionsAck {accepted, rejected[]} once durable; when nothing was accepted, the refusal status with `error`' }, errors: INGEST_ERRORS },
  { method: 'GET', path: '/api/v1/osmand', tag: 'ingestion', summary: 'OsmAnd / Traccar Client protocol (query string: id, lat, lon, timestamp, speed…)', auth: 'device', response: { description: 'PositionsAck once durable' }, errors: INGEST_ERRORS },
  { method: 'POST', path: '/api/v1/osmand', tag: 'ingestion', summary: 'OsmAnd protocol, fields in the query or a form body', auth: 'device', body: { contentType: 'application/x-www-form-urlencoded', description: 'OsmAnd fields (id, lat, lon, timestamp, speed, bearing, batt…), ≤ 64 KiB' }, response: { description: 'PositionsAck once durable' }, errors: INGEST_ERRORS },
  { method: 'POST', path: '/api/v1/owntracks', tag: 'ingestion', summary: 'OwnTracks HTTP mode (Basic auth: deviceId / device token)', auth: 'device', body: { contentType: 'application/json', description: 'An OwnTracks message; `location` messages are stored, others ignored' }, response: { description: '[] once durable' }, errors: INGEST_ERRORS },

  // ── geofences ──
  { method: 'GET', path: '/api/v1/geofences', tag: 'geofences', summary: 'Geofences as a GeoJSON FeatureCollection', auth: 'jwt', response: { description: 'FeatureCollection' }, errors: ['UNAUTHORIZED'] },
  { method: 'POST', path: '/api/v1/geofences', tag: 'geofences', summary: 'Create a geofence (GeoJSON Feature)', auth: 'jwt', roles: ADMIN, body: geofenceFeature, example: geofenceExample, response: { status: 201, description: '{geofence}' }, errors: [...CRUD_ERRORS, 'INVALID_GEOMETRY'] },
  { method: 'GET', path: '/api/v1/geofences/{id}', tag: 'geofences', summary: 'One geofence', auth: 'jwt', response: { description: '{geofence}' }, errors: READ_ERRORS },
  { method: 'PUT', path: '/api/v1/geofences/{id}', tag: 'geofences', summary: 'Replace a geofence', auth: 'jwt', roles: ADMIN, body: geofenceFeature, example: geofenceExample, response: { description: '{geofence}' }, errors: [...CRUD_ERRORS, 'INVALID_GEOMETRY'] },
  { method: 'PATCH', path: '/api/v1/geofences/{id}', tag: 'geofences', summary: 'Change some of a geofence', auth: 'jwt', roles: ADMIN, body: featurePatch, example: { properties: { name: 'North depot' } }, response: { description: '{geofence}' }, errors: [...CRUD_ERRORS, 'INVALID_GEOMETRY'] },
  { method: 'DELETE', path: '/api/v1/geofences/{id}', tag: 'geofences', summary: 'Delete a geofence', auth: 'jwt', roles: ADMIN, response: { description: '{deleted:true}' }, errors: READ_ERRORS },
  { method: 'GET', path: '/api/v1/geofence-events', tag: 'geofences', summary: 'Enter/exit/cross events, filtered', auth: 'jwt', roles: FLEET_READERS, query: geofenceEventsQuery, response: { description: '{events, nextCursor}' }, errors: QUERY_ERRORS },

  // ── routes (planned routes) ──
  { method: 'GET', path: '/api/v1/routes', tag: 'routes', summary: 'Planned routes (GeoJSON FeatureCollection)', auth: 'jwt', response: { description: 'FeatureCollection' }, errors: ['UNAUTHORIZED'] },
  { method: 'POST', path: '/api/v1/routes', tag: 'routes', summary: 'Create a route (GeoJSON LineString Feature)', auth: 'jwt', roles: ADMIN, body: routeFeature, example: routeExample, response: { status: 201, description: '{route}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/routes/{id}', tag: 'routes', summary: 'One route', auth: 'jwt', response: { description: '{route}' }, errors: READ_ERRORS },
  { method: 'PUT', path: '/api/v1/routes/{id}', tag: 'routes', summary: 'Replace a route', auth: 'jwt', roles: ADMIN, body: routeFeature, example: routeExample, response: { description: '{route}' }, errors: CRUD_ERRORS },
  { method: 'PATCH', path: '/api/v1/routes/{id}', tag: 'routes', summary: 'Change some of a route', auth: 'jwt', roles: ADMIN, body: featurePatch, response: { description: '{route}' }, errors: CRUD_ERRORS },
  { method: 'DELETE', path: '/api/v1/routes/{id}', tag: 'routes', summary: 'Delete a route', auth: 'jwt', roles: ADMIN, response: { description: '{deleted:true}' }, errors: READ_ERRORS },
  { method: 'GET', path: '/api/v1/routes/{id}/status', tag: 'routes', summary: "Every vehicle on the route: progress 0–1, status, distance from the route, remaining meters, ETA and next stop", auth: 'jwt', response: { description: '{routeId, vehicles: [{vehicleId, progress, status, distanceFromRouteM, remainingM, etaS, nextStop}]}' }, errors: READ_ERRORS },
  { method: 'PUT', path: '/api/v1/routes/{id}/vehicles', tag: 'routes', summary: 'Assign vehicles to a route', auth: 'jwt', roles: ADMIN, body: routeVehicles, example: { vehicleIds: [ID] }, response: { description: '{route}' }, errors: CRUD_ERRORS },

  // ── trips ──
  { method: 'GET', path: '/api/v1/trips', tag: 'trips', summary: 'Trips, filtered', auth: 'jwt', query: listTripsQuery, response: { description: '{trips, nextCursor}' }, errors: QUERY_ERRORS },
  { method: 'POST', path: '/api/v1/trips', tag: 'trips', summary: 'Create a trip', auth: 'jwt', roles: EDITORS, body: createTripRequest, response: { status: 201, description: '{trip}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/trips/{id}', tag: 'trips', summary: 'One trip', auth: 'jwt', response: { description: '{trip}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/trips/{id}/status', tag: 'trips', summary: 'Move a trip to its next status', auth: 'jwt', roles: ['admin', 'manager', 'driver'], body: tripStatusRequest, example: { status: 'EN_ROUTE' }, response: { description: '{trip}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/track/{token}', tag: 'trips', summary: 'Public rider view of a trip by its share token', auth: 'share', response: { description: '{track}' }, errors: ['NOT_FOUND'] },
  { method: 'GET', path: '/api/v1/track/{token}/tiles/{z}/{x}/{y}', tag: 'trips', summary: 'Basemap tiles for the rider view', auth: 'share', response: tile('Basemap tile'), errors: ['NOT_FOUND'] },

  // ── alerts ──
  { method: 'GET', path: '/api/v1/alerts', tag: 'alerts', summary: 'Alerts, filtered', auth: 'jwt', roles: FLEET_READERS, query: alertsQuery, response: { description: '{alerts, unread}' }, errors: QUERY_ERRORS },
  { method: 'PATCH', path: '/api/v1/alerts', tag: 'alerts', summary: 'Mark alerts read/acknowledged (by ids or by the query filter)', auth: 'jwt', roles: EDITORS, query: alertsFilter, body: alertsBulkPatch, example: { ids: [ID], read: true }, response: { description: '{updated}' }, errors: QUERY_ERRORS },
  { method: 'DELETE', path: '/api/v1/alerts', tag: 'alerts', summary: 'Delete alerts (by ids or by the query filter); restorable for ALERT_UNDO_SECONDS', auth: 'jwt', roles: EDITORS, query: alertsFilter, body: alertsBulkDelete, example: { ids: [ID] }, response: { description: '{ids, undoUntil}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/alerts/{id}', tag: 'alerts', summary: 'One alert', auth: 'jwt', roles: FLEET_READERS, response: { description: '{alert}' }, errors: READ_ERRORS },
  { method: 'PATCH', path: '/api/v1/alerts/{id}', tag: 'alerts', summary: 'Mark one alert read/acknowledged', auth: 'jwt', roles: EDITORS, body: alertPatch, example: { acknowledged: true }, response: { description: '{alert}' }, errors: CRUD_ERRORS },
  { method: 'DELETE', path: '/api/v1/alerts/{id}', tag: 'alerts', summary: 'Delete one alert', auth: 'jwt', roles: EDITORS, response: { description: '{deleted:true}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/alerts/restore', tag: 'alerts', summary: 'Undo a delete within ALERT_UNDO_SECONDS (all or nothing)', auth: 'jwt', roles: EDITORS, body: alertsRestore, example: { ids: [ID] }, response: { description: '{alerts}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/alerts/export', tag: 'alerts', summary: 'Alerts as CSV (the filters of GET /api/v1/alerts, no limit)', auth: 'jwt', roles: FLEET_READERS, query: alertsFilter, response: { description: 'text/csv; X-Rows, X-Truncated' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/alert-rules', tag: 'alerts', summary: "The tenant's alert rules, quiet hours and flood protection", auth: 'jwt', roles: FLEET_READERS, response: { description: '{rules, enabled}' }, errors: READ_ERRORS },
  { method: 'PUT', path: '/api/v1/alert-rules', tag: 'alerts', summary: "Replace the tenant's alert rules", auth: 'jwt', roles: EDITORS, body: alertRuleSet, example: DEFAULT_RULE_SET, response: { description: '{rules, enabled}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/alert-snoozes', tag: 'alerts', summary: 'Snoozes still running', auth: 'jwt', roles: FLEET_READERS, response: { description: '{snoozes}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/alert-snoozes', tag: 'alerts', summary: 'Snooze the alerts of a fence or of a type', auth: 'jwt', roles: EDITORS, body: alertSnoozeInput, example: { type: 'low_battery', minutes: 60 }, response: { status: 201, description: '{snooze}' }, errors: CRUD_ERRORS },
  { method: 'DELETE', path: '/api/v1/alert-snoozes/{id}', tag: 'alerts', summary: 'End a snooze early', auth: 'jwt', roles: EDITORS, response: { status: 204, description: 'ended' }, errors: READ_ERRORS },

  // ── domain events ──
  { method: 'GET', path: '/api/v1/events', tag: 'events', summary: 'The domain event log (catalogue: /api/asyncapi.json, docs/events.md)', auth: 'jwt', roles: FLEET_READERS, query: eventsQuery, response: { description: '{events, nextSeq}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/events/{id}', tag: 'events', summary: 'One domain event', auth: 'jwt', roles: FLEET_READERS, response: { description: '{event}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/events/stream-ticket', tag: 'events', summary: 'A single-use ticket for EventSource (which cannot send headers)', auth: 'jwt', roles: FLEET_READERS, response: { description: '{ticket, expiresAt}' }, errors: READ_ERRORS },
  { method: 'GET', path: '/api/v1/events/stream', tag: 'events', summary: 'Server-Sent Events: the tenant events as they happen (resumable with Last-Event-ID)', auth: 'ticket', query: streamQuery, response: { description: 'text/event-stream of DomainEvent', contentType: 'text/event-stream' }, errors: QUERY_ERRORS },

  // ── webhooks ──
  { method: 'GET', path: '/api/v1/webhooks', tag: 'webhooks', summary: 'Webhooks', auth: 'jwt', roles: ADMIN, response: { description: '{webhooks}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/webhooks', tag: 'webhooks', summary: 'Create a webhook (secret returned once)', auth: 'jwt', roles: ADMIN, body: webhookCreate, example: { url: 'https://example.com/hook', types: ['geofence.entered'] }, response: { status: 201, description: '{webhook}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/webhooks/{id}', tag: 'webhooks', summary: 'One webhook', auth: 'jwt', roles: ADMIN, response: { description: '{webhook}' }, errors: READ_ERRORS },
  { method: 'PATCH', path: '/api/v1/webhooks/{id}', tag: 'webhooks', summary: 'Change a webhook', auth: 'jwt', roles: ADMIN, body: webhookPatch, example: { active: false }, response: { description: '{webhook}' }, errors: CRUD_ERRORS },
  { method: 'DELETE', path: '/api/v1/webhooks/{id}', tag: 'webhooks', summary: 'Delete a webhook', auth: 'jwt', roles: ADMIN, response: { description: '{deleted:true}' }, errors: READ_ERRORS },
  { method: 'GET', path: '/api/v1/webhooks/{id}/deliveries', tag: 'webhooks', summary: "A webhook's delivery log", auth: 'jwt', roles: ADMIN, query: deliveriesQuery, response: { description: '{deliveries}' }, errors: [...READ_ERRORS, 'VALIDATION_ERROR'] },
  { method: 'POST', path: '/api/v1/webhooks/{id}/ping', tag: 'webhooks', summary: 'Send a test delivery', auth: 'jwt', roles: ADMIN, response: { description: '{delivery}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', tag: 'webhooks', summary: 'Deliver again', auth: 'jwt', roles: ADMIN, response: { description: '{delivery}' }, errors: READ_ERRORS },

  // ── spatial, roads, geocoding, routing, tiles ──
  { method: 'GET', path: '/api/v1/spatial/within', tag: 'spatial', summary: 'Vehicles inside a bounding box', auth: 'jwt', roles: FLEET_READERS, query: withinBboxQuery, response: { description: '{vehicles}' }, errors: QUERY_ERRORS },
  { method: 'POST', path: '/api/v1/spatial/within', tag: 'spatial', summary: 'Vehicles inside a polygon', auth: 'jwt', roles: FLEET_READERS, body: withinPolygonRequest, example: { polygon }, response: { description: '{vehicles}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/spatial/nearby', tag: 'spatial', summary: 'Vehicles within a radius', auth: 'jwt', roles: FLEET_READERS, query: nearbyQuery, response: { description: '{vehicles}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/spatial/nearest', tag: 'spatial', summary: 'The k nearest vehicles', auth: 'jwt', roles: FLEET_READERS, query: nearestQuery, response: { description: '{vehicles}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/road-network', tag: 'roads', summary: "The tenant's road network summary", auth: 'jwt', response: { description: '{network}' }, errors: ['UNAUTHORIZED'] },
  { method: 'POST', path: '/api/v1/road-network', tag: 'roads', summary: 'Import a road network (streamed file: OSM PBF, OSM XML, GeoJSON)', auth: 'jwt', roles: ADMIN, body: { contentType: 'application/octet-stream', description: 'The file itself; `?filename=` names it' }, response: { description: '{summary, format}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/geocode', tag: 'roads', summary: 'Forward geocoding over the imported network', auth: 'jwt', query: geocodeQuery, response: { description: '{results}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/geocode/reverse', tag: 'roads', summary: 'Nearest street and address to a point', auth: 'jwt', query: reverseGeocodeQuery, response: { description: '{result}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/routing/route', tag: 'roads', summary: 'Shortest route between points over the road network', auth: 'jwt', query: routeQuery, response: { description: '{route}' }, errors: [...QUERY_ERRORS, 'NOT_FOUND'] },
  { method: 'GET', path: '/api/v1/tiles/{z}/{x}/{y}', tag: 'roads', summary: 'Basemap tiles', auth: 'jwt', response: tile('Basemap tile'), errors: ['UNAUTHORIZED', 'NOT_FOUND'] },
  // ── reports and replay (docs/reports.md) ──
  { method: 'GET', path: '/api/v1/reports/summary', tag: 'reports', summary: 'Summary per vehicle, driver or vehicle group (groupBy=vehicle|driver|group) over a range (distance, driving/idle time, speeds, stops, visits, alerts, driving events) with totals and distance per day; CSV/XLSX', auth: 'jwt', roles: FLEET_READERS, query: reportQuery, response: { description: '{report, from, to, rows, totals, days, truncated, empty}, or the file' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/reports/trips', tag: 'reports', summary: 'Movement trips (journeys: motion start → stop) with distance, durations and speeds; CSV/XLSX, GPX/KML tracks', auth: 'jwt', roles: FLEET_READERS, query: reportQuery, response: { description: '{rows, totals, …}, or the file' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/reports/stops', tag: 'reports', summary: 'Stops (standing still at least HISTORY_STOP_MIN_MINUTES) with place and duration; CSV/XLSX', auth: 'jwt', roles: FLEET_READERS, query: reportQuery, response: { description: '{rows, totals, …}, or the file' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/reports/geofence-visits', tag: 'reports', summary: 'Fence visits: arrival, departure, dwell; CSV/XLSX', auth: 'jwt', roles: FLEET_READERS, query: reportQuery, response: { description: '{rows, totals, …}, or the file' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/reports/geofence-events', tag: 'reports', summary: 'Fence events: every entry, exit, pass-through and expected entry (types=enter,exit,…); CSV/XLSX', auth: 'jwt', roles: FLEET_READERS, query: reportQuery, response: { description: '{rows, totals, …}, or the file' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/reports/alerts', tag: 'reports', summary: 'Alerts raised in a range; CSV/XLSX', auth: 'jwt', roles: FLEET_READERS, query: reportQuery, response: { description: '{rows, totals, …}, or the file' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/reports/events', tag: 'reports', summary: 'Domain events in a range (types, vehicles); CSV/XLSX', auth: 'jwt', roles: FLEET_READERS, query: reportQuery, response: { description: '{rows, totals, …}, or the file' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/report-schedules', tag: 'reports', summary: 'Scheduled reports, each with its last delivery; `email`: whether the server has SMTP_URL', auth: 'jwt', roles: FLEET_READERS, response: { description: '{schedules, email}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/report-schedules', tag: 'reports', summary: 'Schedule a report daily or weekly at a UTC hour, for the period just ended (delivered as report.delivered, by e-mail with SMTP_URL)', auth: 'jwt', roles: EDITORS, body: reportScheduleCreate, example: { name: 'Fleet summary', report: 'summary', format: 'xlsx', cadence: 'weekly', weekday: 1, hour: 6, filters: { vehicleGroup: 'North depot' }, emails: ['ops@example.com'] }, response: { status: 201, description: '{schedule}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/report-schedules/{id}', tag: 'reports', summary: 'One report schedule', auth: 'jwt', roles: FLEET_READERS, response: { description: '{schedule}' }, errors: READ_ERRORS },
  { method: 'PATCH', path: '/api/v1/report-schedules/{id}', tag: 'reports', summary: 'Change a report schedule (active: false pauses it)', auth: 'jwt', roles: EDITORS, body: reportSchedulePatch, example: { active: false }, response: { description: '{schedule}' }, errors: CRUD_ERRORS },
  { method: 'DELETE', path: '/api/v1/report-schedules/{id}', tag: 'reports', summary: 'Delete a report schedule (files already made stay until their links expire)', auth: 'jwt', roles: EDITORS, response: { status: 204, description: 'deleted' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/report-schedules/{id}/run', tag: 'reports', summary: 'Make the report now for the period that ended last', auth: 'jwt', roles: EDITORS, response: { description: '{schedule, delivery}' }, errors: READ_ERRORS },
  { method: 'GET', path: '/api/v1/report-files/{id}', tag: 'reports', summary: "A scheduled report's file by its signed link (?expires&signature, no sign-in) until REPORT_FILE_DAYS have passed", auth: 'none', response: { description: 'the file', contentType: 'application/octet-stream' }, errors: ['FORBIDDEN', 'NOT_FOUND'] },
  { method: 'GET', path: '/api/v1/replay', tag: 'reports', summary: 'Positions of up to 20 vehicles in a range for replay, in chunks (column arrays), with the stops of the first chunk', auth: 'jwt', roles: FLEET_READERS, query: replayQuery, response: { description: '{vehicles, v, t, lng, lat, speed, stops, next}' }, errors: [...QUERY_ERRORS, 'NOT_FOUND'] },

  // ── dispatch (docs/dispatch.md) ──
  { method: 'GET', path: '/api/v1/dispatch/requests', tag: 'dispatch', summary: 'Dispatch requests (open: by priority, then age)', auth: 'jwt', roles: FLEET_READERS, query: listDispatchQuery, response: { description: '{requests}' }, errors: QUERY_ERRORS },
  { method: 'POST', path: '/api/v1/dispatch/requests', tag: 'dispatch', summary: 'Create a service, emergency or scheduled request', auth: 'jwt', roles: EDITORS, body: createDispatchRequest(), example: dispatchExample, response: { status: 201, description: '{request}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/dispatch/requests/{id}', tag: 'dispatch', summary: 'One dispatch request', auth: 'jwt', response: { description: '{request}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/dispatch/requests/{id}/cancel', tag: 'dispatch', summary: 'Cancel an open request', auth: 'jwt', roles: EDITORS, body: cancelDispatchRequest, response: { description: '{request}' }, errors: CRUD_ERRORS },
  { method: 'GET', path: '/api/v1/dispatch/requests/{id}/candidates', tag: 'dispatch', summary: 'Candidates with their factor breakdown', auth: 'jwt', roles: FLEET_READERS, response: { description: '{candidates, reason}' }, errors: READ_ERRORS },
  { method: 'POST', path: '/api/v1/dispatch/requests/{id}/assign', tag: 'dispatch', summary: 'Offer to a chosen vehicle (override audited)', auth: 'jwt', roles: EDITORS, body: assignDispatchRequest, example: { vehicleId: ID, reason: 'driver knows the site' }, response: { description: '{request}' }, errors: CRUD_ERRORS },
  { method: 'POST', path: '/api/v1/dispatch/requests/{id}/accept', tag: 'dispatch', summary: 'The offered driver accepts: the trip is created', auth: 'jwt', roles: ['admin', 'manager', 'driver'], response: { description: '{request}' }, errors: [...READ_ERRORS, 'CONFLICT'] },
  { method: 'POST', path: '/api/v1/dispatch/requests/{id}/decline', tag: 'dispatch', summary: 'The offered driver declines: next candidate', auth: 'jwt', roles: ['admin', 'manager', 'driver'], body: declineDispatchRequest, response: { description: '{request}' }, errors: CRUD_ERRORS },
  { method: 'POST', path: '/api/v1/dispatch/candidates', tag: 'dispatch', summary: 'Candidates for a request not yet made (preview)', auth: 'jwt', roles: EDITORS, body: createDispatchRequest(), example: dispatchExample, response: { description: '{candidates, reason}' }, errors: QUERY_ERRORS },
  { method: 'GET', path: '/api/v1/dispatch/offers', tag: 'dispatch', summary: "The calling driver's open offers", auth: 'jwt', roles: ['driver', 'admin', 'manager'], response: { description: '{offers}' }, errors: ['UNAUTHORIZED', 'FORBIDDEN'] },
  { method: 'GET', path: '/api/v1/dispatch/availability', tag: 'dispatch', summary: "Every vehicle's driver status: ONLINE, BUSY (offer or accepted job), ON_TRIP, OFFLINE", auth: 'jwt', roles: FLEET_READERS, response: { description: '{vehicles: [{vehicleId, driverId, status}]}', example: { vehicles: [{ vehicleId: '0193…', driverId: null, status: 'ON_TRIP' }] } }, errors: READ_ERRORS },
  { method: 'GET', path: '/api/v1/dispatch/settings', tag: 'dispatch', summary: 'Scoring weights of the tenant', auth: 'jwt', roles: FLEET_READERS, response: { description: '{settings}', example: { settings: DEFAULT_WEIGHTS } }, errors: READ_ERRORS },
  { method: 'PUT', path: '/api/v1/dispatch/settings', tag: 'dispatch', summary: 'Change the scoring weights', auth: 'jwt', roles: ADMIN, body: dispatchSettingsRequest, example: DEFAULT_WEIGHTS, response: { description: '{settings}' }, errors: CRUD_ERRORS },
];
