/**
 * GeoFleet server: configuration → database → services → one HTTP server hosting Next.js and
 * Socket.IO. Started by `npm start` (production) and `npm run dev`.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { AlertService } from './alerts/service';
import { AlertPolicy } from './alerts/policy';
import { AlertSources } from './alerts/sources';
import { loadJwtSecret } from './auth/secret';
import type { Principal } from './auth/tokens';
import { AuthService } from './auth/service';
import { TokenService } from './auth/tokens';
import { UserAccess } from './auth/access';
import { SessionService } from './auth/sessions';
import { closeDeviceSocketsOf, closeSocketsOf } from './auth/socket-revocation';
import { parseConfig, type Config } from './config';
import { openDatabase } from './db/database';
import { DrivingService } from './driving/service';
import { segmentOptionsOf } from './history/config';
import { ReportService } from './history/reports';
import { ReportMailer } from './history/mailer';
import { ReportScheduleService } from './history/schedules';
import { SignedLinks } from './history/signed-link';
import { HistoryService } from './history/service';
import { geofenceScope } from './geofence/socket-scope';
import { AssignedRoutes } from './route-plans/assigned-routes';
import { RouteProgress } from './route-plans/progress/route-progress';
import { routeStatusQueryHandler } from './route-plans/progress/socket-query';
import { routeLogStates } from './db/sql/route-progress';
import { LiveGeofenceEvaluation } from './geofence/live-evaluation';
import { GeofenceService } from './geofence/service';
import { seedDemoIfEmpty } from './demo/seed';
import { startDemoSimulator } from './demo/simulator-process';
import { offlineEvents } from './alerts/offline';
import { geofenceEventConsumer } from './geofence/event-consumer';
import { observeAll, type Stage } from './events/stage';
import type { Position } from './protocol/position';
import { maintainPartitions } from './db/partitions';
import { EventBus } from './events/bus';
import { EventLog } from './events/log';
import { WebhookService } from './events/webhooks/service';
import { RoadNetworkService } from './roads/service';
import { StreamTickets } from './events/stream/tickets';
import { createHost, listen } from './http/host';
import { OriginPolicy } from './http/origins';
import { ConnectionLimiter } from './realtime/connection-limits';
import { IpRateLimiter } from './http/rate-limit';
import { LanedBatcher } from './ingest/lanes';
import { attachDriverNamespace } from './ingest/driver-socket';
import { IngestService } from './ingest/ingest-service';
import { startOsmandServer } from './ingest/osmand-server';
import { VehicleRateLimiter } from './ingest/rate-limiter';
import { latestPerVehicle, positionWriter } from './ingest/persist';
import { broadcastMetrics } from './metrics/broadcast';
import { FleetMetrics } from './metrics/fleet-metrics';
import { DistanceStore } from './metrics/distance-store';
import { createLogger, isPretty } from './log';
import { logBanner } from './banner';
import { DEMO_USERS } from './demo/seed';
import { countSocketMessages, since, socketCounts, timedPersist, timedStage } from './telemetry/instrument';
import { createTelemetry, noTelemetry, type Telemetry } from './telemetry/metrics';
import { metricsHandler, startMetricsServer, type MetricsAccess } from './telemetry/endpoint';
import type { Sender } from './ingest/normalize';
import { allVehicleStates } from './db/sql/vehicle-states';
import { sweepDeliveries } from './db/sql/webhooks';
import { FleetHub } from './realtime/fleet-hub';
import { LiveState } from './realtime/live-state';
import { setServices } from './services';
import { loadRoadSegments, tenantsWithRoadNetwork } from './db/sql/road-graph';
import { onRoadNetworkChanged } from './roads/changes';
import { RoadGraphs } from './roads/road-graphs';
import { LiveMapMatching, matcherFor } from './roads/matching/live';
import { Geocoders } from './roads/geocoders';
import { loadGeocodeSource } from './db/sql/geocode';
import { routeBroadcaster } from './route-plans/live';
import { RoutePlanService } from './route-plans/service';
import { joinCatalogRoom } from './realtime/catalog-room';
import { spatialQueryExtension } from './spatial/socket-query';
import { SpatialService } from './spatial/service';
import { TenantRegistry } from './tenants/registry';
import { TenantService } from './tenants/service';
import { TripService } from './trips/service';
import { TileService } from './basemap/tile-service';
import { tripBroadcaster, tripScope } from './trips/socket';
import { VehicleRegistry } from './vehicles/registry';
import { UserService } from './users/service';
import { VehicleService } from './vehicles/service';
import { DispatchService } from './dispatch/service';
import { dispatchBroadcaster } from './dispatch/socket';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHUTDOWN_BUDGET_MS = 4500;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const log = createLogger(config.LOG_LEVEL, config.LOG_PRETTY);
  const started = Date.now();
  const dev = config.NODE_ENV === 'development';
  await mkdir(config.DATA_DIR, { recursive: true });

  let shuttingDown = false;
  let shutdown: (reason: string, code: number, drainMs?: number) => Promise<void> = async (_reason, code) => process.exit(code);
  const onDatabaseLost = () => void shutdown('embedded database exited', 1);

  const nextApp = next({ dev, dir: ROOT, hostname: 'localhost', port: config.PORT });
  const [db] = await Promise.all([openDatabase(config, log, onDatabaseLost), nextApp.prepare()]);

  const secret = await loadJwtSecret(config.JWT_SECRET, config.DATA_DIR, log);
  const tokens = new TokenService(secret, config.JWT_TTL);
  // The spine: every domain event is appended to the durable log, then published on the bus.
  const bus = new EventBus(log);
  const eventLog = new EventLog(db.prisma, bus, log);
  const registry = new VehicleRegistry();
  const live = new LiveState();
  /** A vehicle's last committed position (what restarts, trips and route progress resume from). */
  const lastPositionOf = (vehicleId: string) => live.get(vehicleId)?.live ?? null;
  // /metrics is answered before Next.js once the telemetry exists (below), unless on METRICS_PORT.
  let metricsEndpoint: ReturnType<typeof metricsHandler> | null = null;
  const { httpServer, io } = createHost(
    nextApp,
    dev,
    { origins: new OriginPolicy(config.ALLOWED_ORIGINS), maxBodyBytes: config.HTTP_MAX_BODY_BYTES, maxSocketMessageBytes: config.SOCKET_MAX_MESSAGE_BYTES },
    (req, res) => metricsEndpoint?.(req, res) ?? false,
  );
  const socketMessages = config.METRICS ? countSocketMessages(io) : { in: 0, out: 0 };
  const connections = new ConnectionLimiter();
  const fleetNsp = () => io.of('/fleet');
  const fleet = new FleetHub(io.of('/fleet'), {
    tokens,
    live,
    log,
    limits: { connections, perTenant: config.MAX_CONNECTIONS_PER_TENANT, messagesPerSecond: config.FLEET_MESSAGES_PER_S, slowBacklog: config.FLEET_SLOW_CLIENT_BACKLOG },
  });

  // Alert rules (server/alerts/policy.ts): per-tenant rules, quiet hours, snoozes and flood protection
  // between the sources and the feed, held in memory; ALERT_POLICY=off raises everything as the sources say.
  // Groups come from the vehicle registry, which the vehicle service keeps current on every edit.
  const alertPolicy = new AlertPolicy(db.prisma, { events: eventLog, log, nameOf: (id) => live.get(id)?.info.name ?? 'A vehicle', groupOf: (id) => registry.get(id)?.groupName ?? null, enabled: config.ALERT_POLICY === 'on' });
  await alertPolicy.load();
  // Alerts: one service; its sources are the bus (geofence, presence) and committed positions.
  const alerts = new AlertService(db.prisma, { ttlHours: config.ALERT_TTL_HOURS, undoSeconds: config.ALERT_UNDO_SECONDS, registry, log, fleet: fleetNsp, events: eventLog, policy: alertPolicy });
  const assignedRoutes = new AssignedRoutes();
  const geofences = new GeofenceService(db.prisma, eventLog, {
    // Constructed right below, before anything can change a fence.
    changed: (tenantId, fence) => geofencing.listener.changed(tenantId, fence),
    removed: (tenantId, id) => geofencing.listener.removed(tenantId, id),
  });
  const geofencing = new LiveGeofenceEvaluation({
    service: geofences,
    registry,
    log,
    fleet: fleetNsp,
    record: (events) => eventLog.record(events),
    routeOf: (vehicleId) => assignedRoutes.routeOf(vehicleId),
    lastPositionOf,
  });
  // Map matching (stage below): the graphs are built later, in the background; until then nothing is matched.
  const matching = config.MAP_MATCHING ? new LiveMapMatching((tenantId) => roadGraphs.router(tenantId)?.graph ?? null) : null;
  const sources = new AlertSources(alerts, {
    speedLimitKmh: config.SPEED_LIMIT_KMH,
    speedLimitTolerance: config.SPEED_LIMIT_TOLERANCE,
    roadOf: (vehicleId) => matching?.roadOf(vehicleId) ?? null,
    lowBatteryPercent: config.LOW_BATTERY_PERCENT,
    nameOf: (id) => live.get(id)?.info.name ?? 'A vehicle',
    fenceOf: (id) => geofencing.fenceOf(id),
    routeOf: (id) => assignedRoutes.route(id),
  });
  const vehicles = new VehicleService(db.prisma, registry, eventLog, {
    vehicleChanged: (tenantId, info) => {
      fleet.vehicleChanged(tenantId, info);
      sources.vehicleChanged(info.id, info.attributes);
    },
    vehicleRemoved: (tenantId, id) => {
      fleet.vehicleRemoved(tenantId, id);
      sources.vehicleRemoved(id);
      alertPolicy.forgetVehicle(id);
      matching?.forget(id);
      driving.stage.forget(id); // constructed below; vehicles are removed only once the server serves
      history.stage.forget(id);
    },
    // A rotated device token: phones still connected with the old one are closed (docs/admin.md).
    deviceTokenRotated: (id) => closeDeviceSocketsOf(io, id),
  });
  const auth = new AuthService(db.prisma, tokens);
  const tenantRegistry = new TenantRegistry();
  const tenants = new TenantService(db.prisma, tenantRegistry, eventLog);
  if (config.DEMO_SEED) await seedDemoIfEmpty(db.prisma, log);
  await Promise.all([vehicles.loadRegistry(), tenants.loadRegistry()]);
  const offlineAfterMs = config.OFFLINE_AFTER_S * 1000;
  for (const v of await allVehicleStates(db.prisma)) {
    live.upsert(v.tenantId, v, v.live, v.receivedAt, Date.now() - v.receivedAt <= offlineAfterMs);
  }
  // Hourly: partitions for the days and months ahead, and what is past its retention.
  const maintainStorage = async () => {
    await maintainPartitions(db.prisma, Date.now(), { historyDays: config.HISTORY_RETENTION_DAYS, eventDays: config.EVENT_RETENTION_DAYS, archiveDir: config.HISTORY_ARCHIVE_DIR }, log);
    const swept = await sweepDeliveries(db.prisma, new Date(Date.now() - config.WEBHOOK_DELIVERY_RETENTION_DAYS * 86_400_000));
    if (swept > 0) log.info({ deliveries: swept }, 'webhook delivery log swept');
  };
  const maintenanceTimer = setInterval(() => void maintainStorage().catch((error: unknown) => log.error({ err: error }, 'storage maintenance failed')), 3_600_000);
  maintenanceTimer.unref();
  sources.start(registry.all(), lastPositionOf);
  alerts.startExpiry();
  alerts.startPolicy();
  // Webhooks deliver the log from each one's durable cursor; the bus only wakes them.
  const webhooks = new WebhookService(db.prisma, { bus, events: eventLog, log, config, systemError: (tenantId, message, details) => alerts.raiseSystem(tenantId, message, details) });
  await webhooks.start();
  await geofencing.start();
  fleet.scopes.set('geofence', geofenceScope(geofencing, (tenantId, ids) => live.snapshotsIn(tenantId, ids)));
  const spatial = new SpatialService(db.prisma, (tenantId) => matcherFor(roadGraphs.requireGraph(tenantId)));
  const routeStatus = async (principal: Principal, routeId: string) => routeProgress.status(principal, await routes.get(principal, routeId));
  const otherQueries = new Map([['route_status', routeStatusQueryHandler(routeStatus, (err) => log.error({ err }, 'route status query failed'))]]);
  fleet.extensions.push(spatialQueryExtension(spatial, (err) => log.error({ err }, 'spatial query failed'), otherQueries));
  // Live KPIs (server/metrics): fed by committed batches, sent to fleet dashboards every 2 s.
  const metrics = new FleetMetrics({ timeZoneOf: (tenantId) => tenantRegistry.get(tenantId).timeZone });
  // "Distance today" survives restarts (saved every 30 s and at shutdown; day by the tenant's zone, UTC until tenants have one).
  const distances = new DistanceStore(db.prisma, metrics, log);
  await distances.restore();
  distances.start();
  const metricsBroadcast = broadcastMetrics({ nsp: io.of('/fleet'), live, metrics, intervalMs: 2_000 });
  fleet.extensions.push(metricsBroadcast.extension);
  // Trips: REST through services, live `trip:update` to the tenant's dashboards and `subscribe {scope: "trip"}`.
  const trips = new TripService(db.prisma, {
    events: eventLog,
    shareGraceSeconds: config.TRIP_SHARE_GRACE_S,
    livePosition: lastPositionOf,
    homeAreaOf: (tenantId) => tenantRegistry.get(tenantId).homeArea,
    listener: tripBroadcaster(fleetNsp),
  });
  fleet.scopes.set('trip', tripScope(trips));
  // Routes: REST storage, changes announced to the tenant's dashboards and editors.
  fleet.extensions.push(joinCatalogRoom);
  const routes = new RoutePlanService(db.prisma, eventLog, assignedRoutes.listener(routeBroadcaster(fleetNsp)));
  // Routing graphs: built in the background after start-up (CPU work, one tenant at a time).
  const roadGraphs = new RoadGraphs({
    load: (tenantId) => loadRoadSegments(db.prisma, tenantId),
    tenants: () => tenantsWithRoadNetwork(db.prisma),
    log,
    maxSnapM: config.ROUTING_MAX_SNAP_M,
  });
  // Route progress: where each assigned vehicle is along its route (status, ETA from the road
  // graph's travel times), judged on committed positions and again where a vehicle is when its
  // route changes (an event caused by the system). Loading the routes and the restart resume
  // where the log left each vehicle: nothing happened, an open deviation is not raised again.
  const routeProgress = new RouteProgress({
    routes: assignedRoutes,
    tenantOf: (vehicleId) => registry.get(vehicleId)?.tenantId,
    graphOf: (tenantId) => roadGraphs.router(tenantId)?.graph ?? null,
    lastPositionOf,
    options: { offRouteMeters: config.OFF_ROUTE_METERS, stoppedAfterS: config.ROUTE_STOPPED_AFTER_S },
  });
  let routesLoaded = false;
  assignedRoutes.onReassigned((ids) => eventLog.record(routeProgress.reassigned(ids, routesLoaded)));
  assignedRoutes.load(await routes.loadAll());
  eventLog.record(routeProgress.restore(await routeLogStates(db.prisma)));
  routesLoaded = true;
  // Dashboards hear progress once per second, only what changed enough (status, 1 %, 30 s).
  const routeProgressTimer = setInterval(() => fleet.routeChanged(routeProgress.due()), 1_000);
  routeProgressTimer.unref();
  // Address and place search: one index per tenant, built after the graphs (reverse uses both).
  const geocoders = new Geocoders({
    load: (tenantId) => loadGeocodeSource(db.prisma, tenantId),
    tenants: () => tenantsWithRoadNetwork(db.prisma),
    graph: (tenantId) => roadGraphs.router(tenantId)?.graph ?? null,
    log,
    reverseMaxM: config.GEOCODE_REVERSE_MAX_M,
  });
  const tiles = new TileService(db.prisma);
  // A new road network (imported through REST) replaces the graph, the search index and the basemap's tiles.
  const stopRoadListener = onRoadNetworkChanged(async (tenantId) => {
    tiles.invalidate(tenantId);
    await roadGraphs.rebuild(tenantId);
    await geocoders.rebuild(tenantId);
  });

  // Prometheus metrics (docs/operations.md): sources are read when scraped; hooks time the pipeline.
  const telemetry: Telemetry = config.METRICS
    ? createTelemetry({
        ingest: () => ({ accepted: ingest.stats.acceptedByWay, rejected: ingest.stats.rejectedByWay }),
        queueDepth: () => batcher.depth,
        get queueLimit() {
          return batcher.capacity;
        },
        events: () => ({ appended: eventLog.appended, backlog: eventLog.backlog }),
        webhookOutcomes: () => webhooks.outcomes,
        pool: () => ({ size: db.embedded ? 1 : config.DATABASE_POOL_SIZE, inUse: db.pool.totalCount - db.pool.idleCount, idle: db.pool.idleCount, waiting: db.pool.waitingCount }),
        databaseKind: db.embedded ? 'embedded' : 'server',
        sockets: () =>
          socketCounts(io, ['/fleet', '/driver'], (namespace, data) => {
            if (namespace === '/fleet') return (data as { principal?: Principal }).principal?.tenantId;
            const sender = (data as { sender?: Sender }).sender;
            return sender?.kind === 'device' ? registry.get(sender.vehicleId)?.tenantId : sender?.principal.tenantId;
          }),
        messages: () => socketMessages,
        routes: () => ({ assigned: assignedRoutes.assignedCount, offRoute: routeProgress.offRouteCount }),
      })
    : noTelemetry;
  // Driving behaviour: a stage on committed positions, day counters and driver_event alerts from the bus.
  const driving = new DrivingService(db.prisma, {
    registry,
    log,
    // The matched road's posted limit (map matching); null → the vehicle's or the tenant's limit.
    limitAt: (id) => {
      const road = matching?.roadOf(id);
      return road?.limitKmh != null ? { kmh: road.limitKmh, road: road.name ?? road.ref } : null;
    },
    vehicleLimitKmh: (id) => sources.speed.limitOf(id),
    nameOf: (id) => live.get(id)?.info.name ?? 'A vehicle',
    raiseAlerts: (a) => alerts.raiseInBackground(a),
  });
  await driving.start();

  // Movement history (docs/reports.md): journeys and stops derived on committed positions (stage
  // below, HISTORY_DERIVATION switches it), fence visits from the bus, written every
  // HISTORY_FLUSH_MS off the ingest path; reports and replay read them.
  const history = new HistoryService(db.prisma, {
    log,
    segment: segmentOptionsOf(config),
    driverOf: (id) => registry.get(id)?.driverId ?? null,
    flushMs: config.HISTORY_FLUSH_MS,
    placeOf: (tenantId, lng, lat) => (geocoders.info(tenantId) ? geocoders.reverse({ userId: 'system', tenantId, role: 'viewer' }, { lng: String(lng), lat: String(lat) }).label : null),
  });
  await history.start();
  const reports = new ReportService(db.prisma, { flush: () => history.flush(), chromiumPath: config.REPORT_PDF_CHROMIUM });
  // Links the server sends out start with PUBLIC_URL, or this machine's address once listening.
  let listeningPort = config.PORT;
  const links = new SignedLinks(secret, () => config.PUBLIC_URL ?? `http://localhost:${listeningPort}`);
  const reportSchedules = new ReportScheduleService(db.prisma, {
    reports,
    events: eventLog,
    links,
    mailer: config.SMTP_URL ? new ReportMailer(config.SMTP_URL, config.SMTP_FROM) : null,
    fileDays: config.REPORT_FILE_DAYS,
    log,
  });

  // Stages turn committed positions into domain events; the log makes them durable, then the bus
  // hands them to dashboards, alerts and the read models (and webhooks and SSE).
  const stages: Stage[] = ([
    ...(matching ? [{ name: 'map-matching', observe: (fresh: readonly Position[]) => (matching.observe(fresh), []) }] : []),
    { name: 'geofence', observe: (fresh) => geofencing.observe(fresh) },
    { name: 'route-progress', observe: (fresh) => routeProgress.observe(fresh) },
    ...(config.DRIVING_DETECTION ? [driving.stage] : []),
    ...(config.HISTORY_DERIVATION ? [history.stage] : []),
  ] satisfies Stage[]).map((stage) => timedStage(stage, telemetry));
  bus.subscribe(
    geofenceEventConsumer({
      fleet: fleetNsp,
      store: (rows) => geofences.recordEvents(rows),
      log,
      systemError: (tenantId, message, details) => alerts.raiseSystem(tenantId, message, details),
    }),
  );
  bus.subscribe(sources.events);
  bus.subscribe(driving.events);
  bus.subscribe(history.events);

  const presenceTimer = setInterval(() => {
    const now = Date.now();
    eventLog.record(offlineEvents(fleet.sweepPresence(now, offlineAfterMs), now));
  }, 5_000);
  presenceTimer.unref();
  // The embedded database runs one query at a time: more writers would only queue there.
  const batcher = new LanedBatcher(db.embedded ? 1 : Math.min(config.INGEST_WRITERS, config.DATABASE_POOL_SIZE), {
    coalesceMs: config.INGEST_COALESCE_MS,
    batchSize: config.INGEST_BATCH_SIZE,
    limit: config.INGEST_QUEUE_LIMIT,
    persist: timedPersist(positionWriter(db.prisma), telemetry),
    // Each vehicle's positions arrive here in order (one lane per vehicle), once durable. The
    // dashboards get them first: nothing they show waits for the stages (map matching and
    // driving detection cost ≈17 µs a position, 25 ms for a 1,500-position batch at 10,000/s),
    // whose events follow through the log. Alert sources read the matched road: after the stages.
    committed: (fresh) => {
      const committedAt = performance.now();
      fleet.publish(latestPerVehicle(fresh));
      if (telemetry.enabled) telemetry.batchPublished(since(committedAt));
      eventLog.record(observeAll(stages, fresh));
      sources.committed(fresh);
      metrics.record(fresh);
    },
    log,
  });
  const ingest = new IngestService({ registry, tenants: tenantRegistry, limiter: new VehicleRateLimiter(), batcher, tokens });
  attachDriverNamespace(io.of('/driver'), {
    ingest,
    log,
    limits: { connections, perDevice: config.MAX_CONNECTIONS_PER_DEVICE, perTenant: config.MAX_CONNECTIONS_PER_TENANT, tenantOf: (vehicleId) => registry.get(vehicleId)?.tenantId },
  });

  // Sessions and user access (docs/admin.md): every token verification checks deactivation and the
  // user's session cut-off; a cut-off closes that user's open sockets at once.
  const access = new UserAccess();
  await access.load(db.prisma);
  tokens.useAccess(access);
  access.onRevoked((userId) => closeSocketsOf(io, userId));
  const sessions = new SessionService(db.prisma, tokens, config.SESSION_ACCESS_TTL, config.SESSION_REFRESH_DAYS);
  // Dispatch (server/dispatch): requests decided in rounds by road ETA and weighted factors,
  // offered to drivers live on /driver, changes to dashboards on /fleet; state in the database.
  const dispatch = new DispatchService(db.prisma, {
    events: eventLog,
    bus,
    trips,
    live,
    registry,
    routerOf: (tenantId) => roadGraphs.router(tenantId),
    tenantOf: (tenantId) => tenantRegistry.get(tenantId),
    log,
    listener: dispatchBroadcaster(fleetNsp, () => io.of('/driver')),
    options: {
      offerTimeoutS: config.DISPATCH_OFFER_TIMEOUT_S,
      retryS: config.DISPATCH_RETRY_S,
      leadMin: config.DISPATCH_LEAD_MIN,
      routed: config.DISPATCH_ROUTED_CANDIDATES,
      emergencyUsesOnTrip: config.DISPATCH_EMERGENCY_USES_ON_TRIP,
      tickMs: config.DISPATCH_TICK_MS,
      maxSnapM: config.ROUTING_MAX_SNAP_M,
    },
  });
  dispatch.start();

  const migrationsShipped = (await readdir(path.join(ROOT, 'prisma/migrations'), { withFileTypes: true })).filter((e) => e.isDirectory()).length;
  const readiness = {
    appliedMigrations: async () =>
      (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')).rows[0]!.n,
    expectedMigrations: migrationsShipped,
    queueDepth: () => batcher.depth,
    queueLimit: batcher.capacity,
    shuttingDown: () => shuttingDown,
    timeoutMs: 2000,
  };
  setServices({ telemetry, readiness, config, log, db, tokens, auth, vehicles, users: new UserService(db.prisma, eventLog, access, sessions), sessions, ingest, tenants, restLimiter: new IpRateLimiter(config.REST_RATE_LIMIT_PER_MIN), userLimiter: new IpRateLimiter(config.REST_RATE_LIMIT_PER_USER_PER_MIN), spatial, geofences, alerts, driving, routes, routeStatus, roadGraphs, geocoders, trips, bus, events: eventLog, streamTickets: new StreamTickets(), webhooks, tiles, roadNetwork: new RoadNetworkService(db.prisma, eventLog, log), history, reports, reportSchedules, links, dispatch });

  const port = await listen(httpServer, config.PORT, config.HOST);
  listeningPort = port;
  const osmand = config.OSMAND_PORT ? await startOsmandServer({ port: config.OSMAND_PORT, host: config.HOST, ingest, log, maxQueryBytes: config.OSMAND_MAX_QUERY_BYTES }) : null;
  // /metrics: its own port, or PORT's, guarded by the token, or by being local (docs/operations.md).
  const metricsAccess: MetricsAccess = config.METRICS_TOKEN ? { kind: 'token', token: config.METRICS_TOKEN } : config.METRICS_PORT ? { kind: 'open' } : { kind: 'loopback' };
  const serveMetrics = metricsHandler(telemetry, metricsAccess);
  const metricsServer = config.METRICS && config.METRICS_PORT ? await startMetricsServer(serveMetrics, config.METRICS_PORT, config.HOST) : null;
  if (config.METRICS && !metricsServer) metricsEndpoint = serveMetrics;
  const metricsPort = metricsServer?.port ?? port;
  const demoEmails = DEMO_USERS.map((u) => u.email);
  const demoPresent = config.DEMO_SEED ? new Set((await db.prisma.user.findMany({ where: { email: { in: demoEmails } }, select: { email: true } })).map((u) => u.email)) : new Set<string>();
  logBanner(
    log,
    {
      url: `http://localhost:${port}`,
      database: db.embedded ? `embedded PostGIS in ${path.join(config.DATA_DIR, 'pgdata')}` : `PostgreSQL server ${redactUrl(config.DATABASE_URL!)} (pool ${config.DATABASE_POOL_SIZE})`,
      metrics: config.METRICS
        ? `http://localhost:${metricsPort}/metrics (${metricsAccess.kind === 'token' ? 'Bearer METRICS_TOKEN' : metricsAccess.kind === 'open' ? 'open on its own port' : 'this machine only'})`
        : null,
      osmand: osmand ? `port ${config.OSMAND_PORT}` : null,
      demoLogins: DEMO_USERS.filter((u) => demoPresent.has(u.email)).map((u) => ({ role: u.role, email: u.email, password: u.password })),
      ms: Date.now() - started,
    },
    isPretty(config.LOG_PRETTY),
  );

  // Graphs first: the demo simulator routes its tours as soon as they are built.
  void roadGraphs.start().then(() => matching?.resume(live.all()));
  const simulator = await startDemoSimulator(ROOT, config, db, tokens, port, log);
  void geocoders.start();
  reportSchedules.start();

  shutdown = async (reason, code, drainMs = 0) => {
    if (shuttingDown) return;
    // First of all /api/ready says no; with a drain period the instance keeps serving meanwhile,
    // so a load balancer polling readiness stops sending it work before its listeners close.
    shuttingDown = true;
    log.info({ reason, drainMs }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long, exiting');
      process.exit(code || 1);
    }, SHUTDOWN_BUDGET_MS + drainMs);
    force.unref();
    if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
    simulator?.kill('SIGTERM');
    clearInterval(maintenanceTimer);
    stopRoadListener();
    clearInterval(presenceTimer);
    clearInterval(routeProgressTimer);
    alerts.stop();
    metricsBroadcast.stop();
    httpServer.close();
    metricsServer?.server.close();
    void osmand?.close();
    io.close();
    httpServer.closeAllConnections();
    await batcher.drain(1500);
    await distances.stop();
    await eventLog.drain(1000);
    await driving.stop();
    await history.stop();
    await reportSchedules.stop();
    await dispatch.stop();
    await geofencing.stop();
    await webhooks.stop();
    setServices(undefined);
    await db.close();
    log.info({ ms: Date.now() - started }, 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  // SIGTERM is what orchestrators send: drain first (SHUTDOWN_DRAIN_S). Ctrl-C stops at once.
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0, config.SHUTDOWN_DRAIN_S * 1000));
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });
}

/** A connection URL without its password, for the start-up banner. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

main().catch((error: unknown) => {
  console.error(`GeoFleet failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
