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

export interface NewWebhook {
  id: string;
  tenantId: string;
  url: string;
  types: string[];
  active: boolean;
  description: string;
  secret: string;
  /** Where delivery starts: the tenant's last seq when the webhook is made (no replay of the past). */
  deliveredSeq: number;
}

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

/** Moves the cursor forward (never back: a late writer cannot undo a later delivery). */
export async function advanceCursor(prisma: Prisma, id: string, seq: number): Promise<void> {
  await prisma.webhook.updateMany({ where: { id, deliveredSeq: { lt: BigInt(seq) } }, data: { deliveredSeq: BigInt(seq) } });
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

/** The pending delivery of an event to a webhook, if one was started (before a restart). */
export async function pendingDelivery(prisma: Prisma, webhookId: string, eventId: string): Promise<DeliveryRow | null> {
  const row = await prisma.webhookDelivery.findFirst({ where: { webhookId, eventId, status: 'pending' }, orderBy: { createdAt: 'desc' } });
  return row ? deliveryRow(row) : null;
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
