import type { Prisma } from '../database';
import type { Tx } from './events';
import type { DeliveryStatus } from '../../protocol/webhooks';

/**
 * Webhooks and their deliveries. Reads a person makes are scoped by tenant; the dispatcher's
 * writes go by id and use `updateMany`, so a webhook deleted while its delivery is in flight
 * makes them change nothing instead of failing.
 */

export interface WebhookRow {
  id: string;
  tenantId: string;
  url: string;
  types: string[];
  active: boolean;
  description: string;
  secret: string;
  deliveredSeq: number;
  failingSince: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface LastDelivery {
  status: DeliveryStatus;
  responseStatus: number | null;
  at: Date;
}

export interface DeliveryRow {
  id: string;
  webhookId: string;
  tenantId: string;
  eventId: string | null;
  eventSeq: number | null;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  responseMs: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

type StoredWebhook = Omit<WebhookRow, 'deliveredSeq'> & { deliveredSeq: bigint };
type StoredDelivery = Omit<DeliveryRow, 'eventSeq' | 'status'> & { eventSeq: bigint | null; status: string };

const webhookRow = (w: StoredWebhook): WebhookRow => ({ ...w, deliveredSeq: Number(w.deliveredSeq) });
const deliveryRow = (d: StoredDelivery): DeliveryRow => ({ ...d, eventSeq: d.eventSeq === null ? null : Number(d.eventSeq), status: d.status as DeliveryStatus });

/** A webhook as created; `deliveredSeq` is where delivery starts: the tenant's last seq then (no replay of the past). */
export type NewWebhook = Omit<WebhookRow, 'failingSince' | 'disabledReason' | 'createdAt' | 'updatedAt'>;

export async function insertWebhook(tx: Tx, w: NewWebhook): Promise<WebhookRow> {
  return webhookRow(await tx.webhook.create({ data: { ...w, deliveredSeq: BigInt(w.deliveredSeq) } }));
}

export async function findWebhook(prisma: Tx, tenantId: string, id: string): Promise<WebhookRow | null> {
  const row = await prisma.webhook.findFirst({ where: { id, tenantId } });
  return row ? webhookRow(row) : null;
}

/** The tenant's webhooks (or the one with `id`), oldest first, each with its newest delivery. */
export async function webhooksWithLastDelivery(prisma: Prisma, tenantId: string, id?: string): Promise<Array<{ webhook: WebhookRow; last: LastDelivery | null }>> {
  const rows = await prisma.webhook.findMany({
    where: { tenantId, ...(id ? { id } : {}) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: { deliveries: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1, select: { status: true, responseStatus: true, updatedAt: true } } },
  });
  return rows.map(({ deliveries, ...w }) => {
    const d = deliveries[0];
    return { webhook: webhookRow(w), last: d ? { status: d.status as DeliveryStatus, responseStatus: d.responseStatus, at: d.updatedAt } : null };
  });
}

export type WebhookChange = Partial<Pick<WebhookRow, 'url' | 'types' | 'active' | 'description' | 'failingSince' | 'disabledReason'>>;

export async function updateWebhook(tx: Tx, id: string, change: WebhookChange): Promise<WebhookRow> {
  return webhookRow(await tx.webhook.update({ where: { id }, data: { ...change, updatedAt: new Date() } }));
}

export async function deleteWebhook(tx: Tx, id: string): Promise<void> {
  await tx.webhook.deleteMany({ where: { id } });
}

/** Every active webhook of every tenant: what the dispatcher resumes at start-up. */
export async function activeWebhooks(prisma: Prisma): Promise<WebhookRow[]> {
  return (await prisma.webhook.findMany({ where: { active: true }, orderBy: { createdAt: 'asc' } })).map(webhookRow);
}

export async function setFailingSince(prisma: Prisma, id: string, since: Date | null): Promise<void> {
  await prisma.webhook.updateMany({ where: { id }, data: { failingSince: since } });
}

/** Turns an active webhook off with a reason; false when it was already off or is gone. */
export async function disableWebhook(tx: Tx, id: string, reason: string): Promise<boolean> {
  const { count } = await tx.webhook.updateMany({ where: { id, active: true }, data: { active: false, disabledReason: reason, updatedAt: new Date() } });
  return count > 0;
}

// ── deliveries ──────────────────────────────────────────────────────────────────────────────

export interface NewDelivery {
  id: string;
  webhookId: string;
  tenantId: string;
  eventId: string | null;
  eventSeq: number | null;
  eventType: string;
}

export async function insertDelivery(prisma: Prisma, d: NewDelivery): Promise<DeliveryRow> {
  return deliveryRow(await prisma.webhookDelivery.create({ data: { ...d, eventSeq: d.eventSeq === null ? null : BigInt(d.eventSeq), status: 'pending' } }));
}

/**
 * The pending deliveries of a webhook (left by a restart or a give-up), by event id: resumed with
 * their attempt count. Only events after the cursor can have one, and their deliveries were made
 * after the first of them was recorded: the search starts there (a minute early, for clocks), not
 * at the webhook's first delivery — a busy webhook has millions.
 */
export async function pendingDeliveries(prisma: Prisma, webhook: { id: string; tenantId: string }, cursor: number): Promise<Map<string, DeliveryRow>> {
  const [first] = await prisma.$queryRaw<Array<{ since: Date }>>`
    SELECT recorded_at - interval '1 minute' AS since FROM domain_events WHERE tenant_id = ${webhook.tenantId}::uuid AND seq = ${cursor + 1}::bigint LIMIT 1`;
  if (!first) return new Map(); // nothing after the cursor
  const rows = await prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id, status: 'pending', eventId: { not: null }, createdAt: { gte: first.since } } });
  return new Map(rows.map((r) => [r.eventId!, deliveryRow(r)]));
}

/** A delivery's state after an attempt, as the dispatcher writes it. */
export interface DeliveryRecord extends AttemptRecord {
  id: string;
  eventId: string;
  eventSeq: number;
  eventType: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Inserts or updates a batch of one webhook's deliveries and moves its cursor to `cursor` (never
 * back), in one statement: the log and the cursor cannot disagree. Nothing is written for a
 * webhook deleted meanwhile.
 */
export async function recordDeliveries(prisma: Prisma, webhook: { id: string; tenantId: string }, records: readonly DeliveryRecord[], cursor: number | null): Promise<void> {
  const col = <T>(f: (r: DeliveryRecord) => T) => records.map(f);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  await prisma.$executeRaw`
    WITH written AS (
      INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event_id, event_seq, event_type, status, attempts, response_status, response_ms, error, next_attempt_at, created_at, updated_at)
      SELECT u.id, ${webhook.id}::uuid, ${webhook.tenantId}::uuid, u.event_id, u.event_seq, u.event_type, u.status, u.attempts, u.response_status, u.response_ms, u.error, u.next_attempt_at, u.created_at, u.updated_at
      FROM unnest(
        ${col((r) => r.id)}::uuid[], ${col((r) => r.eventId)}::uuid[], ${col((r) => r.eventSeq)}::bigint[], ${col((r) => r.eventType)}::text[],
        ${col((r) => r.status)}::text[], ${col((r) => r.attempts)}::int[], ${col((r) => r.responseStatus)}::int[], ${col((r) => r.responseMs)}::int[],
        ${col((r) => r.error)}::text[], ${col((r) => iso(r.nextAttemptAt))}::timestamptz[], ${col((r) => iso(r.createdAt))}::timestamptz[], ${col((r) => iso(r.updatedAt))}::timestamptz[]
      ) AS u(id, event_id, event_seq, event_type, status, attempts, response_status, response_ms, error, next_attempt_at, created_at, updated_at)
      WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ${webhook.id}::uuid)
      ON CONFLICT (id) DO UPDATE SET
        status = excluded.status, attempts = excluded.attempts, response_status = excluded.response_status, response_ms = excluded.response_ms,
        error = excluded.error, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at
    )
    UPDATE webhooks SET delivered_seq = ${cursor}::bigint
    WHERE id = ${webhook.id}::uuid AND ${cursor}::bigint IS NOT NULL AND delivered_seq < ${cursor}::bigint`;
}

export interface AttemptRecord {
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  responseMs: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

export async function recordAttempt(prisma: Prisma, id: string, a: AttemptRecord): Promise<void> {
  await prisma.webhookDelivery.updateMany({ where: { id }, data: { ...a, updatedAt: new Date() } });
}

/** A webhook's deliveries, newest first. */
export async function listDeliveries(prisma: Prisma, tenantId: string, webhookId: string, limit: number): Promise<DeliveryRow[]> {
  const rows = await prisma.webhookDelivery.findMany({ where: { tenantId, webhookId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  return rows.map(deliveryRow);
}

export async function findDelivery(prisma: Prisma, tenantId: string, webhookId: string, id: string): Promise<DeliveryRow | null> {
  const row = await prisma.webhookDelivery.findFirst({ where: { id, tenantId, webhookId } });
  return row ? deliveryRow(row) : null;
}

export async function getDelivery(prisma: Prisma, id: string): Promise<DeliveryRow | null> {
  const row = await prisma.webhookDelivery.findUnique({ where: { id } });
  return row ? deliveryRow(row) : null;
}

/** Rows deleted per statement by the sweep: short transactions, no long lock on the log. */
const SWEEP_BATCH = 5_000;

/**
 * Deletes finished deliveries (delivered or failed, pings included) created before `cutoff`,
 * webhook by webhook through the (webhook_id, created_at) index, in batches. Pending deliveries
 * stay whatever their age: they are still owed. Resolves with how many rows went.
 */
export async function sweepDeliveries(prisma: Prisma, cutoff: Date): Promise<number> {
  const webhooks = await prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM webhooks`;
  let deleted = 0;
  for (const { id } of webhooks) {
    for (;;) {
      const n = await prisma.$executeRaw`
        DELETE FROM webhook_deliveries WHERE id IN (
          SELECT id FROM webhook_deliveries
          WHERE webhook_id = ${id}::uuid AND created_at < ${cutoff} AND status <> 'pending'
          LIMIT ${SWEEP_BATCH})`;
      deleted += n;
      if (n < SWEEP_BATCH) break;
    }
  }
  return deleted;
}
