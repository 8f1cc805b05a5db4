/**
 * GeoFleet server: configuration → database → services → one HTTP server hosting Next.js and
 * Socket.IO. Started by `npm start` (production) and `npm run dev`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { Server as SocketServer } from 'socket.io';
import { loadJwtSecret } from './auth/secret';
import { AuthService } from './auth/service';
import { TokenService } from './auth/tokens';
import { parseConfig, type Config } from './config';
import { openDatabase, type Database } from './db/database';
import { LiveGeofenceEvaluation } from './geofence/live-evaluation';
import { GeofenceService } from './geofence/service';
import { DEMO_TENANT_SLUG, DEMO_USERS, seedDemoIfEmpty } from './demo/seed';
import { maintainHistoryPartitions } from './db/partitions';
import { CLIENT_IP_HEADER, IpRateLimiter } from './http/rate-limit';
import { LanedBatcher } from './ingest/lanes';
import { attachDriverNamespace } from './ingest/driver-socket';
import { IngestService } from './ingest/ingest-service';
import { startOsmandServer } from './ingest/osmand-server';
import { VehicleRateLimiter } from './ingest/rate-limiter';
import { latestPerVehicle, positionWriter } from './ingest/persist';
import { createLogger, type Logger } from './log';
import { allVehicleStates } from './db/sql/vehicle-states';
import { FLEET_EVENTS } from './protocol/fleet';
import { FleetHub } from './realtime/fleet-hub';
import { LiveState } from './realtime/live-state';
import { setServices } from './services';
import { handleSpatialQuery } from './spatial/socket-query';
import { SpatialService } from './spatial/service';
import { TenantRegistry } from './tenants/registry';
import { TenantService } from './tenants/service';
import { VehicleRegistry } from './vehicles/registry';
import { UserService } from './users/service';
import { VehicleService } from './vehicles/service';

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
  let shutdown: (reason: string, code: number) => Promise<void> = async (_reason, code) => process.exit(code);
  const onDatabaseLost = () => void shutdown('embedded database exited', 1);

  const nextApp = next({ dev, dir: ROOT, hostname: 'localhost', port: config.PORT });
  const [db] = await Promise.all([openDatabase(config, log, onDatabaseLost), nextApp.prepare()]);

  const secret = await loadJwtSecret(config.JWT_SECRET, config.DATA_DIR, log);
  const tokens = new TokenService(secret, config.JWT_TTL);
  const registry = new VehicleRegistry();
  // The hub exists once Socket.IO does; vehicle changes made before that need no broadcast.
  let hub: FleetHub | null = null;
  const vehicles = new VehicleService(db.prisma, registry, {
    vehicleChanged: (tenantId, info) => hub?.vehicleChanged(tenantId, info),
    vehicleRemoved: (tenantId, id) => hub?.vehicleRemoved(tenantId, id),
  });
  const auth = new AuthService(db.prisma, tokens);
  const tenantRegistry = new TenantRegistry();
  const tenants = new TenantService(db.prisma, tenantRegistry);
  if (config.DEMO_SEED) await seedDemoIfEmpty(db.prisma, log);
  await Promise.all([vehicles.loadRegistry(), tenants.loadRegistry()]);
  const live = new LiveState();
  const offlineAfterMs = config.OFFLINE_AFTER_S * 1000;
  for (const v of await allVehicleStates(db.prisma)) {
    live.upsert(v.tenantId, v, v.live, v.receivedAt, Date.now() - v.receivedAt <= offlineAfterMs);
  }
  const partitionTimer = setInterval(() => {
    maintainHistoryPartitions(db.prisma, Date.now(), config.HISTORY_RETENTION_DAYS)
      .then((result) => (result.created.length || result.dropped.length) && log.info(result, 'position history partitions maintained'))
      .catch((error: unknown) => log.error({ err: error }, 'partition maintenance failed'));
  }, 3_600_000);
  partitionTimer.unref();

  const handle = nextApp.getRequestHandler();
  const httpServer = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? 'unknown';
    void handle(req, res);
  });
  const io = new SocketServer(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 2e6,
    // Short drops resume where they left off (missed frames replayed); longer ones re-subscribe.
    // Every broadcast is kept this long for replay: it bounds memory as much as it helps clients.
    connectionStateRecovery: { maxDisconnectionDuration: 20_000, skipMiddlewares: true },
  });
  hub = new FleetHub(io.of('/fleet'), { tokens, live, log });
  let geofencing: LiveGeofenceEvaluation | null = null;
  const geofences = new GeofenceService(db.prisma, {
    changed: (tenantId, fence) => geofencing?.listener.changed(tenantId, fence),
    removed: (tenantId, id) => geofencing?.listener.removed(tenantId, id),
  });
  geofencing = new LiveGeofenceEvaluation({ service: geofences, registry, log, fleet: () => io.of('/fleet') });
  await geofencing.start();
  const evaluation = geofencing;
  const fleet = hub;
  const spatial = new SpatialService(db.prisma);
  fleet.extensions.push((socket, principal) => {
    socket.on(FLEET_EVENTS.query, async (payload: unknown, ack?: unknown) => {
      const result = await handleSpatialQuery(spatial, principal, payload, (err) => log.error({ err }, 'spatial query failed'));
      if (typeof ack === 'function') ack(result);
    });
  });
  const presenceTimer = setInterval(() => fleet.sweepPresence(Date.now(), offlineAfterMs), 5_000);
  presenceTimer.unref();
  // The embedded database runs one query at a time: more writers would only queue there.
  const batcher = new LanedBatcher(db.embedded ? 1 : Math.min(config.INGEST_WRITERS, config.DATABASE_POOL_SIZE), {
    coalesceMs: config.INGEST_COALESCE_MS,
    batchSize: config.INGEST_BATCH_SIZE,
    limit: config.INGEST_QUEUE_LIMIT,
    persist: positionWriter(db.prisma),
    // Evaluate, then publish: each vehicle's positions arrive here in order (one lane per vehicle).
    committed: (fresh) => {
      evaluation.evaluate(fresh);
      fleet.publish(latestPerVehicle(fresh));
    },
    log,
  });
  const ingest = new IngestService({ registry, tenants: tenantRegistry, limiter: new VehicleRateLimiter(), batcher, tokens });
  attachDriverNamespace(io.of('/driver'), { ingest, log });
  if (dev) {
    // Next's hot reload talks over WebSocket upgrades that Socket.IO does not own.
    const upgrade = nextApp.getUpgradeHandler();
    httpServer.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket.io/')) void upgrade(req, socket, head);
    });
  }

  setServices({ config, log, db, tokens, auth, vehicles, users: new UserService(db.prisma), ingest, tenants, restLimiter: new IpRateLimiter(config.REST_RATE_LIMIT_PER_MIN), spatial, geofences });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const osmand = config.OSMAND_PORT ? await startOsmandServer({ port: config.OSMAND_PORT, host: config.HOST, ingest, log }) : null;
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ port, ms: Date.now() - started, database: db.embedded ? 'embedded PostGIS' : 'PostgreSQL server', dev }, `GeoFleet listening on http://localhost:${port}`);

  const simulator = await startDemoSimulator(config, db, tokens, port, log);

  shutdown = async (reason, code) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long, exiting');
      process.exit(code || 1);
    }, SHUTDOWN_BUDGET_MS);
    force.unref();
    simulator?.kill('SIGTERM');
    clearInterval(partitionTimer);
    clearInterval(presenceTimer);
    httpServer.close();
    void osmand?.close();
    io.close();
    httpServer.closeAllConnections();
    await batcher.drain(1500);
    await evaluation.stop();
    setServices(undefined);
    await db.close();
    log.info({ ms: Date.now() - started }, 'stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });
}

/** Runs scripts/simulate.ts against this server when the demo tenant exists and SIMULATOR is on. */
async function startDemoSimulator(config: Config, db: Database, tokens: TokenService, port: number, log: Logger): Promise<ChildProcess | null> {
  if (!config.SIMULATOR || config.SIMULATOR_VEHICLES === 0) return null;
  const tenant = await db.prisma.tenant.findUnique({ where: { slug: DEMO_TENANT_SLUG } });
  const admin = tenant && (await db.prisma.user.findFirst({ where: { tenantId: tenant.id, role: 'admin' } }));
  if (!tenant || !admin) return null;
  log.info({ logins: DEMO_USERS.map((u) => `${u.email} / ${u.password} (${u.role})`) }, 'demo tenant: sign in with one of these');
  const token = await tokens.sign({ userId: admin.id, tenantId: tenant.id, role: 'admin' });
  const child = fork(
    path.join(ROOT, 'scripts/simulate.ts'),
    ['--url', `http://127.0.0.1:${port}`, '--vehicles', String(config.SIMULATOR_VEHICLES), '--rate', String(config.SIMULATOR_RATE), '--quiet'],
    { execArgv: ['--import', 'tsx'], cwd: ROOT, env: { ...process.env, GEOFLEET_TOKEN: token }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') log.warn({ code, signal }, 'demo simulator stopped');
  });
  return child;
}

main().catch((error: unknown) => {
  console.error(`GeoFleet failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
