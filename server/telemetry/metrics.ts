import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one GeoFleet process (served at /metrics, see docs/operations.md).
 *
 * The hot paths pay little: what already exists as a plain number (ingest counts, event log,
 * queue depth, pool, sockets) is read when Prometheus scrapes (`collect`), and the hooks below are
 * called once per request, batch or webhook attempt, never once per position. Labels are bounded:
 * route templates, never raw paths; no vehicle, user or tenant ids.
 */

/** The ways positions come in (a label of the ingest counters). */
export const WAYS_IN = ['socket', 'rest', 'osmand', 'owntracks'] as const;
export type WayIn = (typeof WAYS_IN)[number];

/** What is read at scrape time (all cheap: counts kept anyway, no queries). */
export interface MetricSources {
  /** Positions accepted, and rejected by code, per way in, since start. */
  ingest(): { accepted: ReadonlyMap<string, number>; rejected: ReadonlyMap<string, ReadonlyMap<string, number>> };
  queueDepth(): number;
  queueLimit: number;
  /** Domain events appended since start, and recorded but not yet durable. */
  events(): { appended: number; backlog: number };
  /** Webhook delivery attempts by outcome since start. */
  webhookOutcomes(): Readonly<Record<string, number>>;
  pool(): { size: number; inUse: number; idle: number; waiting: number };
  databaseKind: 'embedded' | 'server';
  /** Connected sockets per namespace, and distinct tenants with at least one. */
  sockets(): { byNamespace: Record<string, number>; tenants: number };
  /** Socket.IO messages received and sent since start. */
  messages(): { in: number; out: number };
  /** Vehicles assigned to a route, and of those currently off it. */
  routes(): { assigned: number; offRoute: number };
}

/** The hooks the server calls; `noTelemetry` when metrics are off (METRICS=off). */
export interface Telemetry {
  readonly enabled: boolean;
  /** One REST request done: route template (e.g. /api/v1/vehicles/[id]), method, status. */
  httpRequest(route: string, method: string, status: number, seconds: number): void;
  /** One ingest batch made durable: its size, the write's duration, one sampled position's device→commit age. */
  batchCommitted(size: number, seconds: number, sampleAgeSeconds: number | null): void;
  /** Time from a batch's commit until its positions were handed to the dashboards. */
  batchPublished(seconds: number): void;
  /** One stage (geofence, off-route…) evaluated one committed batch. */
  stageEvaluated(stage: string, positions: number, seconds: number): void;
  /** The Prometheus text exposition. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export const noTelemetry: Telemetry = {
  enabled: false,
  httpRequest() {},
  batchCommitted() {},
  batchPublished() {},
  stageEvaluated() {},
  scrape: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
};

/** Latency buckets (s) from 1 ms to 10 s: HTTP, commits, device→commit, stages. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10000];

type Read<L extends string> = (set: (labels: Partial<Record<L, string>>, value: number) => void) => void;

/**
 * A metric whose value lives elsewhere (a running total, a queue's depth), read at scrape time:
 * a counter for totals kept since start, a gauge for the rest.
 */
function collected<L extends string>(kind: 'counter' | 'gauge', registry: Registry, name: string, help: string, labelNames: readonly L[], read: Read<L>): void {
  const base = { name, help, labelNames, registers: [registry] };
  if (kind === 'counter') new Counter<L>({ ...base, collect() { this.reset(); read((labels, value) => this.inc(labels, value)); } });
  else new Gauge<L>({ ...base, collect() { this.reset(); read((labels, value) => this.set(labels, value)); } });
}
const totalCounter = <L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], read: Read<L>) => collected('counter', registry, name, help, labelNames, read);
const gauge = <L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], read: Read<L>) => collected('gauge', registry, name, help, labelNames, read);

export function createTelemetry(sources: MetricSources): Telemetry & { registry: Registry } {
  const registry = new Registry();
  // Process CPU/memory/fds, event-loop lag (with p50/p90/p99), GC durations by kind, heap spaces.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const httpRequests = new Counter({ name: 'geofleet_http_requests_total', help: 'REST requests by route template, method and status.', labelNames: ['route', 'method', 'status'] as const, registers: [registry] });
  const httpDuration = new Histogram({ name: 'geofleet_http_request_duration_seconds', help: 'REST request latency by route template and method.', labelNames: ['route', 'method'] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
  const batchSize = new Histogram({ name: 'geofleet_ingest_batch_size', help: 'Positions per ingest batch (group commit).', buckets: BATCH_SIZE_BUCKETS, registers: [registry] });
  const commitSeconds = new Histogram({ name: 'geofleet_ingest_commit_seconds', help: 'Time to make one ingest batch durable.', buckets: LATENCY_BUCKETS, registers: [registry] });
  const deviceToCommit = new Histogram({
    name: 'geofleet_ingest_device_to_commit_seconds',
    help: 'Age of a position (device timestamp) when its batch committed; one random position sampled per batch.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const commitToPublish = new Histogram({ name: 'geofleet_ingest_commit_to_publish_seconds', help: 'Time from a batch commit until its positions were handed to the dashboards (stages, alerts, publish).', buckets: LATENCY_BUCKETS, registers: [registry] });
  const stageSeconds = new Histogram({ name: 'geofleet_stage_seconds', help: 'Time one stage (geofence, off-route) took to evaluate one committed batch.', labelNames: ['stage'] as const, buckets: LATENCY_BUCKETS, registers: [registry] });
  const stagePositions = new Counter({ name: 'geofleet_stage_positions_total', help: 'Positions evaluated by each stage (divide geofleet_stage_seconds_sum by it for time per position).', labelNames: ['stage'] as const, registers: [registry] });

  totalCounter(registry, 'geofleet_positions_accepted_total', 'Positions accepted (durable) by way in.', ['way'] as const, (set) => {
    const { accepted } = sources.ingest();
    for (const way of WAYS_IN) set({ way }, accepted.get(way) ?? 0);
  });
  totalCounter(registry, 'geofleet_positions_rejected_total', 'Positions refused by way in and error code.', ['way', 'code'] as const, (set) => {
    for (const [way, codes] of sources.ingest().rejected) for (const [code, n] of codes) set({ way, code }, n);
  });
  gauge(registry, 'geofleet_ingest_queue_depth', 'Positions waiting to be written.', [], (set) => set({}, sources.queueDepth()));
  gauge(registry, 'geofleet_ingest_queue_limit', 'Queue bound (INGEST_QUEUE_LIMIT, per writer lane) beyond which senders get UNAVAILABLE.', [], (set) => set({}, sources.queueLimit));
  totalCounter(registry, 'geofleet_events_appended_total', 'Domain events appended to the durable log.', [], (set) => set({}, sources.events().appended));
  gauge(registry, 'geofleet_events_backlog', 'Derived domain events recorded but not yet durable.', [], (set) => set({}, sources.events().backlog));
  totalCounter(registry, 'geofleet_webhook_deliveries_total', 'Webhook delivery attempts by outcome (delivered, retry, failed = given up).', ['outcome'] as const, (set) => {
    for (const [outcome, n] of Object.entries(sources.webhookOutcomes())) set({ outcome }, n);
  });
  gauge(registry, 'geofleet_db_pool_connections', 'Database pool connections by state (in_use, idle) and its size (max).', ['state'] as const, (set) => {
    const pool = sources.pool();
    set({ state: 'in_use' }, pool.inUse);
    set({ state: 'idle' }, pool.idle);
    set({ state: 'max' }, pool.size);
  });
  gauge(registry, 'geofleet_db_pool_waiting', 'Queries waiting for a database connection.', [], (set) => set({}, sources.pool().waiting));
  gauge(registry, 'geofleet_database_info', 'The database this process uses (kind: embedded PostGIS or a PostgreSQL server); always 1.', ['kind'] as const, (set) => set({ kind: sources.databaseKind }, 1));
  gauge(registry, 'geofleet_socket_connections', 'Connected Socket.IO clients by namespace.', ['namespace'] as const, (set) => {
    for (const [namespace, n] of Object.entries(sources.sockets().byNamespace)) set({ namespace }, n);
  });
  gauge(registry, 'geofleet_tenants_connected', 'Tenants with at least one connected socket (dashboard or device).', [], (set) => set({}, sources.sockets().tenants));
  totalCounter(registry, 'geofleet_socket_messages_total', 'Socket.IO messages by direction (in: received, out: sent, one per client reached).', ['direction'] as const, (set) => {
    const m = sources.messages();
    set({ direction: 'in' }, m.in);
    set({ direction: 'out' }, m.out);
  });
  gauge(registry, 'geofleet_vehicles_on_route', 'Vehicles assigned to a route.', [], (set) => set({}, sources.routes().assigned));
  gauge(registry, 'geofleet_vehicles_off_route', 'Vehicles assigned to a route and currently off it.', [], (set) => set({}, sources.routes().offRoute));

  return {
    enabled: true,
    registry,
    httpRequest(route, method, status, seconds) {
      httpRequests.inc({ route, method, status: String(status) });
      httpDuration.observe({ route, method }, seconds);
    },
    batchCommitted(size, seconds, sampleAgeSeconds) {
      batchSize.observe(size);
      commitSeconds.observe(seconds);
      if (sampleAgeSeconds !== null && sampleAgeSeconds >= 0) deviceToCommit.observe(sampleAgeSeconds);
    },
    batchPublished(seconds) {
      commitToPublish.observe(seconds);
    },
    stageEvaluated(stage, positions, seconds) {
      stageSeconds.observe({ stage }, seconds);
      stagePositions.inc({ stage }, positions);
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
