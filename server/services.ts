import type { AlertService } from './alerts/service';
import type { AuthService } from './auth/service';
import type { SessionService } from './auth/sessions';
import type { DrivingService } from './driving/service';
import type { TokenService } from './auth/tokens';
import type { Config } from './config';
import type { Database } from './db/database';
import type { EventBus } from './events/bus';
import type { EventLog } from './events/log';
import type { StreamTickets } from './events/stream/tickets';
import type { GeofenceService } from './geofence/service';
import type { IpRateLimiter } from './http/rate-limit';
import type { IngestService } from './ingest/ingest-service';
import type { Logger } from './log';
import type { Geocoders } from './roads/geocoders';
import type { RoadGraphs } from './roads/road-graphs';
import type { RoutePlanService } from './route-plans/service';
import type { Principal } from './auth/tokens';
import type { RouteStatusResponse } from './protocol/route-progress';
import type { SpatialService } from './spatial/service';
import type { TenantService } from './tenants/service';
import type { TripService } from './trips/service';
import type { UserService } from './users/service';
import type { VehicleService } from './vehicles/service';
import type { WebhookService } from './events/webhooks/service';
import type { TileService } from './basemap/tile-service';
import type { RoadNetworkService } from './roads/service';
import type { Telemetry } from './telemetry/metrics';
import type { ReadinessProbe } from './telemetry/readiness';
import type { HistoryService } from './history/service';
import type { ReportService } from './history/reports';
import type { ReportScheduleService } from './history/schedules';
import type { SignedLinks } from './history/signed-link';
import type { DispatchService } from './dispatch/service';

/** What route handlers in app/ may call. Built once by server/index.ts. */
export interface Services {
  config: Config;
  log: Logger;
  db: Database;
  tokens: TokenService;
  auth: AuthService;
  vehicles: VehicleService;
  users: UserService;
  ingest: IngestService;
  tenants: TenantService;
  /** Per-IP limit on REST requests without a valid token (other than ingestion). */
  restLimiter: IpRateLimiter;
  /** Per-user limit on REST requests with a valid token (REST_RATE_LIMIT_PER_USER_PER_MIN). */
  userLimiter: IpRateLimiter;
  /** Browser sessions: refresh tokens (httpOnly cookie), rotation, logout (server/auth/sessions.ts). */
  sessions: SessionService;
  /** Spatial queries (within, nearby, nearest, history). */
  spatial: SpatialService;
  /** Geofences (REST), their events and the engine's stored memberships. */
  geofences: GeofenceService;
  /** Alerts (REST) of every source. */
  alerts: AlertService;
  /** Driving behaviour: events, daily scores and settings (REST). */
  driving: DrivingService;
  /** Routes (REST) and which vehicles drive them. */
  routes: RoutePlanService;
  /** A route's vehicles with their progress, status and ETA (NOT_FOUND outside the caller's tenant). */
  routeStatus: (principal: Principal, routeId: string) => Promise<RouteStatusResponse>;
  /** Routing graphs, one per tenant with a road network (REST routing; rebuilt after an import). */
  roadGraphs: RoadGraphs;
  /** Address and place search indexes, one per tenant with a road network (rebuilt after an import). */
  geocoders: Geocoders;
  /** Trips (REST, the rider page's track view). */
  trips: TripService;
  /** Where durable domain events are published (SSE, webhooks and dashboards subscribe). */
  bus: EventBus;
  /** The durable event log: append, or change state and append in one transaction. */
  events: EventLog;
  /** Single-use tickets that open the SSE stream from an EventSource. */
  streamTickets: StreamTickets;
  /** Signed webhooks (REST) and their delivery from the log. */
  webhooks: WebhookService;
  /** The street basemap's vector tiles (cached; invalidate after a road network import). */
  tiles: TileService;
  /** The tenant's imported road network (REST: summary and import). */
  roadNetwork: RoadNetworkService;
  /** Prometheus metrics hooks (no-ops with METRICS=off). */
  telemetry: Telemetry;
  /** What `GET /api/ready` checks. */
  readiness: ReadinessProbe;
  /** Movement history: journeys, stops, visits, daily summaries (derivation and writes). */
  history: HistoryService;
  /** Reports (REST, files) and replay over the derived history. */
  reports: ReportService;
  /** Scheduled reports (REST; the scheduler runs inside) and their files' signed links. */
  reportSchedules: ReportScheduleService;
  links: SignedLinks;
  /** Dispatch requests, their decisions and the drivers' answers (REST; the scheduler runs inside). */
  dispatch: DispatchService;
}

// Next.js bundles route handlers separately from the custom server, so module-level state is not
// shared between them; the process-wide global is.
const KEY = Symbol.for('geofleet.services');
type Holder = { [KEY]?: Services };

export function setServices(services: Services | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function getServices(): Services | undefined {
  return (globalThis as Holder)[KEY];
}
