import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable GeoFleet reads, parsed once at start-up. README's configuration
 * table lists the same variables with the same defaults: keep them in step.
 */
const bool = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((v) => (v === undefined ? fallback : ['1', 'true', 'yes', 'on'].includes(v)));

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: port(3000),
  /** PostgreSQL + PostGIS server; unset → embedded PostGIS (PGlite) in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Connections in the pool to a PostgreSQL server (the embedded database always uses 1). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  DATA_DIR: z.string().default('.data'),
  /** Port of the embedded database's wire-protocol listener on 127.0.0.1 (0 = any free port). */
  EMBEDDED_DB_PORT: port(0),
  /** HS256 secret for JWTs, ≥ 32 characters; unset → generated once and kept in DATA_DIR. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL: z.string().regex(/^\d+[smhd]$/, 'must look like 30m, 12h or 7d').default('12h'),
  /** Seed the demo tenant when the database has no tenants. */
  DEMO_SEED: bool(true),
  /** Detect driving behaviour (harsh manoeuvres, speeding, idling) on committed positions (docs/driving.md). */
  DRIVING_DETECTION: bool(true),
  /** Drive the demo fleet with the built-in simulator (only when the demo tenant exists). */
  SIMULATOR: bool(true),
  SIMULATOR_VEHICLES: z.coerce.number().int().min(0).max(100000).default(240),
  /** Positions per second per simulated vehicle. */
  SIMULATOR_RATE: z.coerce.number().min(0.01).max(50).default(1),
  /** Positions arriving within this window (ms) of an idle writer share one write (group commit). */
  INGEST_COALESCE_MS: z.coerce.number().int().min(0).max(100).default(5),
  /** Largest batch written at once. */
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(50000).default(2000),
  /** Concurrent writers (each vehicle always in the same one); the embedded database uses 1. */
  INGEST_WRITERS: z.coerce.number().int().min(1).max(16).default(3),
  /** Queue bound: beyond it senders get UNAVAILABLE (back-pressure). */
  INGEST_QUEUE_LIMIT: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  /** Days of position history kept; older daily partitions are dropped whole. */
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Seconds without a position after which a vehicle is reported offline. */
  OFFLINE_AFTER_S: z.coerce.number().int().min(5).max(86400).default(120),
  /** Second port speaking the OsmAnd protocol at `/` (Traccar Client's default is 5055); 0 = off. */
  OSMAND_PORT: port(5055),
  /** Requests per minute per client IP on REST routes other than ingestion, for requests without a valid token. */
  REST_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Requests per minute per signed-in user (valid token) on REST routes other than ingestion. */
  REST_RATE_LIMIT_PER_USER_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Lifetime of a browser session's access token (refreshed before it ends), like 15m. */
  SESSION_ACCESS_TTL: z.string().regex(/^\d+[smhd]$/, 'must look like 30s, 15m or 1h').default('15m'),
  /** Days a browser session lasts without being used (each refresh starts them again). */
  SESSION_REFRESH_DAYS: z.coerce.number().positive('must be more than 0').max(365).default(30),
  /**
   * Browser origins allowed besides the server's own (comma-separated, e.g. https://ops.example.com;
   * `*` = any). Enforced on Socket.IO handshakes and on REST requests that carry an Origin header
   * (CORS); devices and servers send none and are unaffected. Empty = same-origin only.
   */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
    .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), 'must be comma-separated origins like https://ops.example.com, or *'),
  /** Open Socket.IO connections per device token, or per driver on /driver (admin/manager gateways: tenant limit only); the next one is refused with RATE_LIMITED. */
  MAX_CONNECTIONS_PER_DEVICE: z.coerce.number().int().min(1).max(1000).default(3),
  /** Open Socket.IO connections per tenant, /fleet and /driver together. */
  MAX_CONNECTIONS_PER_TENANT: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  /** Messages per second one /fleet socket may send (subscribe, unsubscribe, query, metrics); bursts of twice that. */
  FLEET_MESSAGES_PER_S: z.coerce.number().positive().max(100_000).default(20),
  /** Packets queued for one /fleet socket beyond which its deltas are dropped and a fresh snapshot follows once it drains. */
  FLEET_SLOW_CLIENT_BACKLOG: z.coerce.number().int().min(2).max(100_000).default(64),
  /** Largest REST request body (bytes; the road-network import streams and is exempt). */
  HTTP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1_000_000_000).default(2_000_000),
  /** Largest Socket.IO message (bytes); a larger one closes the connection. */
  SOCKET_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(2_000_000),
  /** Longest OsmAnd query string (bytes), on /api/v1/osmand and OSMAND_PORT. */
  OSMAND_MAX_QUERY_BYTES: z.coerce.number().int().min(256).max(65_536).default(4096),
  /** MapLibre style URL for real tiles; unset → the bundled offline basemap. */
  MAP_STYLE_URL: z.string().url().optional(),
  /** A Protomaps .pmtiles file served at /basemap.pmtiles (range requests) and drawn instead of the street tiles. */
  MAP_PMTILES: z.string().refine((file) => existsSync(file), 'file not found').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pretty, coloured logs (1) or JSON lines (0); unset → pretty when stdout is a terminal, JSON otherwise. */
  LOG_PRETTY: z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .optional()
    .transform((v) => (v === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(v))),
  /** Prometheus metrics (GET /metrics); off → no collection at all. */
  METRICS: bool(true),
  /** Bearer token /metrics requires (≥ 16 characters); unset with METRICS_PORT unset → /metrics answers loopback callers only. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Serve /metrics on this port of its own instead of PORT (bound to HOST; token still required if METRICS_TOKEN is set); 0 = on PORT. */
  METRICS_PORT: port(0),
  /** Seconds between SIGTERM and closing the listeners, while /api/ready answers 503 (load balancers drain the instance). */
  SHUTDOWN_DRAIN_S: z.coerce.number().min(0).max(300).default(0),
  /** Hours after which an alert expires (fractions allowed: 0.001 h = 3.6 s, used by tests). */
  ALERT_TTL_HOURS: z.coerce.number().positive('must be more than 0').max(8760).default(24),
  /** Seconds a deleted alert can be restored (undo) before it is removed for good. */
  ALERT_UNDO_SECONDS: z.coerce.number().min(1, 'must be 1 or more').max(3600).default(10),
  /** Alert rules, quiet hours, snoozes and flood protection between the sources and the feed; off → every alert raised as its source says (A/B). */
  ALERT_POLICY: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  /** Tenant-wide speed limit (km/h) for speed alerts; a vehicle's attributes.speedLimitKmh overrides it. */
  SPEED_LIMIT_KMH: z.coerce.number().positive('must be more than 0').max(2000).default(120),
  /** Share over a road's posted limit (from map matching) that still counts as within it: 0.1 = +10 %. */
  SPEED_LIMIT_TOLERANCE: z.coerce.number().min(0, 'must be 0 or more').max(1).default(0.1),
  /** Map matching: every position of a tenant with a road network is matched to its road (posted limits for speeding). */
  MAP_MATCHING: bool(true),
  /** Battery percentage below which a vehicle raises low_battery (again once above it + 5). */
  LOW_BATTERY_PERCENT: z.coerce.number().min(0).max(95).default(15),
  /** Meters from its assigned route beyond which a vehicle is off route (back on within 3/4 of it). */
  OFF_ROUTE_METERS: z.coerce.number().positive('must be more than 0').max(100_000).default(100),
  /** Seconds a vehicle on its route stands still before its route status is STOPPED. */
  ROUTE_STOPPED_AFTER_S: z.coerce.number().int().min(1).max(86_400).default(120),
  /** Routing: a point farther than this from every road is off the road network. */
  ROUTING_MAX_SNAP_M: z.coerce.number().positive('must be more than 0').max(100_000).default(500),
  /** Reverse geocoding: the nearest street farther than this (m) from the point is not reported. */
  GEOCODE_REVERSE_MAX_M: z.coerce.number().positive('must be more than 0').max(10_000).default(100),
  /** Seconds a trip's share link (rider page) keeps working after the trip is completed or cancelled. */
  TRIP_SHARE_GRACE_S: z.coerce.number().int().min(0).max(2_592_000).default(3600),
  /** Days of domain events kept; older monthly partitions of the log are dropped whole. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(31).max(36500).default(365),
  /** Let webhooks target private, loopback and link-local addresses (off: SSRF protection; tests turn it on). */
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  /** Seconds a webhook receiver has to answer one delivery before the attempt counts as failed. */
  WEBHOOK_TIMEOUT_S: z.coerce.number().positive('must be more than 0').max(120).default(10),
  /** Longest wait (s) between retries of one delivery: 1 s doubling, full jitter, capped here (fractions allowed, for tests). */
  WEBHOOK_RETRY_MAX_S: z.coerce.number().positive('must be more than 0').max(86400).default(600),
  /** Hours a delivery is retried before it is marked failed; a webhook failing this long is disabled. */
  WEBHOOK_GIVE_UP_HOURS: z.coerce.number().positive('must be more than 0').max(720).default(24),
  /** Requests one webhook may have in flight at once (never two for one aggregate: order per aggregate holds). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  /** Days the delivery log keeps finished deliveries (delivered or failed); pending ones stay until done. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().positive('must be more than 0').max(3650).default(14),
  /** Derive movement trips (journeys), stops and daily summaries from committed positions (docs/reports.md); off: the stage is skipped, reports read what was derived. */
  HISTORY_DERIVATION: bool(true),
  /** Standing still at least this long ends a journey and is a stop. */
  HISTORY_STOP_MIN_MINUTES: z.coerce.number().positive('must be more than 0').max(1440).default(5),
  /** Speed (km/h) from which a fix counts as moving. */
  HISTORY_MOVING_KMH: z.coerce.number().positive('must be more than 0').max(100).default(5),
  /** A journey shorter than this (metres) is GPS drift during a stop. */
  HISTORY_MIN_TRIP_M: z.coerce.number().min(0).max(100000).default(200),
  /** No fix for this long ends a journey at its last fix. */
  HISTORY_MAX_GAP_MINUTES: z.coerce.number().positive('must be more than 0').max(1440).default(15),
  /** How often derived journeys, stops and visits are written (one set-based write per table). */
  HISTORY_FLUSH_MS: z.coerce.number().int().min(100).max(600000).default(5000),
  /** Before a position_history partition past HISTORY_RETENTION_DAYS is dropped, write it here as gzip CSV (unset: dropped without a copy). */
  HISTORY_ARCHIVE_DIR: z.string().min(1).optional(),
  /** Where users reach this server (scheme, host, port): the base of links the server sends out (scheduled reports' download links). Default http://localhost:PORT. */
  PUBLIC_URL: z.string().url('must be a URL such as https://fleet.example.com').optional(),
  /** SMTP server for e-mailing scheduled reports, e.g. smtp://user:pass@mail.example.com:587 (smtps:// for TLS); unset: no e-mail, the webhook event and the download link remain. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  /** Sender of scheduled reports' e-mails. */
  SMTP_FROM: z.string().min(3).default('GeoFleet <reports@localhost>'),
  /** Days a scheduled report's file stays downloadable by its link. */
  REPORT_FILE_DAYS: z.coerce.number().positive('must be more than 0').max(365).default(7),
  /** Headless Chromium that prints the summary report's PDF (through playwright-core). */
  REPORT_PDF_CHROMIUM: z.string().min(1).default('/usr/bin/chromium'),
  /** Dispatch: seconds a driver has to accept or decline an offer before it passes to the next candidate. */
  DISPATCH_OFFER_TIMEOUT_S: z.coerce.number().int().min(5).max(3600).default(60),
  /** Dispatch: seconds before a deferred request (no capable vehicle) is tried again; sooner when a vehicle frees up. */
  DISPATCH_RETRY_S: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Dispatch: scheduled requests are decided this many minutes before their time. */
  DISPATCH_LEAD_MIN: z.coerce.number().int().min(0).max(1440).default(15),
  /** Dispatch: nearest eligible vehicles per request that get a road-network ETA. */
  DISPATCH_ROUTED_CANDIDATES: z.coerce.number().int().min(1).max(100).default(8),
  /** Dispatch: emergencies may take vehicles already on a trip when nothing else can serve. */
  DISPATCH_EMERGENCY_USES_ON_TRIP: bool(false),
  /** Dispatch: how often the scheduler looks for due requests, expired offers and retries (ms). */
  DISPATCH_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
});

export type Config = Omit<z.infer<typeof envSchema>, 'DATA_DIR'> & { DATA_DIR: string };

/** Parse an environment; throws one readable message listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...result.data, DATA_DIR: path.resolve(result.data.DATA_DIR) };
}
