import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/tokens';
import { requireRole } from '../../auth/tokens';
import type { Prisma } from '../../db/database';
import { findEvent, lastSeq } from '../../db/sql/events';
import * as sql from '../../db/sql/webhooks';
import { ApiError, parseOrThrow } from '../../protocol/errors';
import { diff, newEvent, type Actor } from '../../protocol/events';
import {
  deliveriesQuery,
  webhookCreate,
  webhookPatch,
  type WebhookCreatedDto,
  type WebhookDeliveryDto,
  type WebhookDto,
} from '../../protocol/webhooks';
import type { EventLog } from '../log';
import { uuid7 } from '../uuid7';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { EventBus } from '../bus';
import { BlockedAddressError, checkTarget } from './address-guard';
import { WebhookDispatcher } from './dispatcher';
import { newSecret } from './signature';

const ADMINS = ['admin'] as const;
/** What events and diffs show of a webhook: never its secret. */
const PUBLIC_FIELDS = ['url', 'types', 'active', 'description'] as const;

export interface WebhookServiceOptions {
  bus: EventBus;
  events: EventLog;
  log: Logger;
  config: Pick<Config, 'WEBHOOK_ALLOW_PRIVATE' | 'WEBHOOK_TIMEOUT_S' | 'WEBHOOK_RETRY_MAX_S' | 'WEBHOOK_GIVE_UP_HOURS' | 'WEBHOOK_CONCURRENCY'>;
  /** Raises a system alert for a tenant (a webhook was disabled). */
  systemError: (tenantId: string, message: string, details: Record<string, unknown>) => void;
}

/**
 * Webhooks of the caller's tenant (admins only; another tenant's webhook is NOT_FOUND). Each
 * create, change and delete commits with its `webhook.*` event; the dispatcher then delivers
 * with the new settings. The secret is shown once, in the answer to create.
 */
export class WebhookService {
  private readonly dispatcher: WebhookDispatcher;
  private readonly allowPrivate: boolean;

  constructor(
    private readonly prisma: Prisma,
    private readonly o: WebhookServiceOptions,
  ) {
    const { config } = o;
    const capMs = config.WEBHOOK_RETRY_MAX_S * 1000;
    this.allowPrivate = config.WEBHOOK_ALLOW_PRIVATE;
    this.dispatcher = new WebhookDispatcher({
      prisma,
      bus: o.bus,
      events: o.events,
      log: o.log,
      timeoutMs: config.WEBHOOK_TIMEOUT_S * 1000,
      backoff: { baseMs: Math.min(1000, capMs), capMs },
      giveUpMs: config.WEBHOOK_GIVE_UP_HOURS * 3_600_000,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      concurrency: config.WEBHOOK_CONCURRENCY,
      systemError: o.systemError,
    });
  }

  /** Resumes every active webhook from its cursor and follows the bus. */
  start(): Promise<void> {
    return this.dispatcher.start();
  }

  /** Delivery attempts since start by outcome (for /metrics). */
  get outcomes(): Readonly<Record<string, number>> {
    return this.dispatcher.outcomes;
  }

  stop(): Promise<void> {
    return this.dispatcher.stop();
  }

  async list(principal: Principal): Promise<WebhookDto[]> {
    requireRole(principal, ADMINS, 'manage webhooks');
    return (await sql.webhooksWithLastDelivery(this.prisma, principal.tenantId)).map(({ webhook, last }) => toDto(webhook, last));
  }

  async get(principal: Principal, id: string): Promise<WebhookDto> {
    requireRole(principal, ADMINS, 'manage webhooks');
    const [found] = await sql.webhooksWithLastDelivery(this.prisma, principal.tenantId, id);
    if (!found) throw notFound(id);
    return toDto(found.webhook, found.last);
  }

  /** `{url, types?, active?, description?}` → the webhook with its secret (shown this once). */
  async create(principal: Principal, body: unknown): Promise<WebhookCreatedDto> {
    requireRole(principal, ADMINS, 'manage webhooks');
    const input = parseOrThrow(webhookCreate, body);
    await this.checkUrl(input.url);
    const row = await this.o.events.transact(async (tx, emit) => {
      // Delivery starts after the events already in the log: a new webhook does not replay the past.
      const created = await sql.insertWebhook(tx, {
        id: randomUUID(),
        tenantId: principal.tenantId,
        ...input,
        secret: newSecret(),
        deliveredSeq: await lastSeq(tx, principal.tenantId),
      });
      emit(newEvent({ tenantId: principal.tenantId, type: 'webhook.created', aggregateId: created.id, actor: actor(principal), data: { name: nameOf(created), after: publicFields(created) } }));
      return created;
    });
    this.dispatcher.track(row);
    return { ...toDto(row, null), secret: row.secret };
  }

  /** Any of `{url, types, active, description}`; turning a webhook on clears its failure state. */
  async update(principal: Principal, id: string, body: unknown): Promise<WebhookDto> {
    requireRole(principal, ADMINS, 'manage webhooks');
    const patch = parseOrThrow(webhookPatch, body);
    if (patch.url !== undefined) await this.checkUrl(patch.url);
    const row = await this.o.events.transact(async (tx, emit) => {
      const before = await sql.findWebhook(tx, principal.tenantId, id);
      if (!before) throw notFound(id);
      const change: sql.WebhookChange = { ...patch };
      if (patch.active === true && !before.active) Object.assign(change, { failingSince: null, disabledReason: null });
      if (patch.active === false) change.disabledReason = null;
      const after = await sql.updateWebhook(tx, id, change);
      const changes = diff(publicFields(before), publicFields(after), PUBLIC_FIELDS);
      if (Object.keys(changes).length > 0) {
        emit(newEvent({ tenantId: principal.tenantId, type: 'webhook.updated', aggregateId: id, actor: actor(principal), data: { name: nameOf(after), changes } }));
      }
      return after;
    });
    this.dispatcher.track(row);
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireRole(principal, ADMINS, 'manage webhooks');
    await this.o.events.transact(async (tx, emit) => {
      const before = await sql.findWebhook(tx, principal.tenantId, id);
      if (!before) throw notFound(id);
      await sql.deleteWebhook(tx, id);
      emit(newEvent({ tenantId: principal.tenantId, type: 'webhook.deleted', aggregateId: id, actor: actor(principal), data: { name: nameOf(before), before: publicFields(before) } }));
    });
    this.dispatcher.remove(id);
  }

  /** The webhook's deliveries, newest first: `?limit`. */
  async deliveries(principal: Principal, id: string, query: unknown): Promise<WebhookDeliveryDto[]> {
    requireRole(principal, ADMINS, 'manage webhooks');
    const { limit } = parseOrThrow(deliveriesQuery, query);
    await this.find(principal, id);
    return (await sql.listDeliveries(this.prisma, principal.tenantId, id, limit)).map(toDeliveryDto);
  }

  /**
   * Sends a delivery's event again, now, once (a ping again for a ping), as a new delivery with
   * its own id; the webhook's cursor does not move. Resolves with the new delivery's outcome.
   */
  async redeliver(principal: Principal, id: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    requireRole(principal, ADMINS, 'manage webhooks');
    const webhook = await this.find(principal, id);
    const original = await sql.findDelivery(this.prisma, principal.tenantId, id, deliveryId);
    if (!original) throw new ApiError('NOT_FOUND', `delivery ${deliveryId} not found`);
    if (!original.eventId) return this.ping(principal, id);
    const event = await findEvent(this.prisma, principal.tenantId, original.eventId);
    if (!event) throw new ApiError('NOT_FOUND', `event ${original.eventId} of delivery ${deliveryId} is no longer in the log`);
    return this.sendOnce(webhook, { eventId: event.id, eventSeq: event.seq, eventType: event.type }, () => JSON.stringify(event));
  }

  /** Delivers a `ping` right away and resolves with its outcome (works on inactive webhooks too). */
  async ping(principal: Principal, id: string): Promise<WebhookDeliveryDto> {
    requireRole(principal, ADMINS, 'manage webhooks');
    const webhook = await this.find(principal, id);
    return this.sendOnce(webhook, { eventId: null, eventSeq: null, eventType: 'ping' }, (deliveryId) =>
      JSON.stringify({ id: deliveryId, type: 'ping', tenantId: webhook.tenantId, webhookId: webhook.id, at: new Date().toISOString() }),
    );
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  private async sendOnce(webhook: sql.WebhookRow, what: Pick<sql.NewDelivery, 'eventId' | 'eventSeq' | 'eventType'>, body: (deliveryId: string) => string): Promise<WebhookDeliveryDto> {
    const delivery = await sql.insertDelivery(this.prisma, { id: uuid7(), webhookId: webhook.id, tenantId: webhook.tenantId, ...what });
    const result = await this.dispatcher.attempt(webhook, delivery.id, what.eventType, body(delivery.id));
    await sql.recordAttempt(this.prisma, delivery.id, {
      status: result.ok ? 'delivered' : 'failed',
      attempts: 1,
      responseStatus: result.status,
      responseMs: result.ms,
      error: result.error,
      nextAttemptAt: null,
    });
    if (result.ok) this.dispatcher.receiverAnswered(webhook.id);
    const stored = await sql.getDelivery(this.prisma, delivery.id);
    if (!stored) throw notFound(webhook.id); // the webhook was deleted meanwhile
    return toDeliveryDto(stored);
  }

  private async find(principal: Principal, id: string): Promise<sql.WebhookRow> {
    const row = await sql.findWebhook(this.prisma, principal.tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }

  private async checkUrl(url: string): Promise<void> {
    if (this.allowPrivate) return;
    try {
      await checkTarget(url);
    } catch (error) {
      if (error instanceof BlockedAddressError) throw new ApiError('VALIDATION_ERROR', `url: ${error.message}`, 'url');
      throw error;
    }
  }
}

const notFound = (id: string) => new ApiError('NOT_FOUND', `webhook ${id} not found`);
const actor = (principal: Principal): Actor => ({ kind: 'user', id: principal.userId });
const nameOf = (w: sql.WebhookRow) => w.description || w.url;

function publicFields(w: sql.WebhookRow): Record<string, unknown> {
  return { url: w.url, types: w.types, active: w.active, description: w.description };
}

function toDto(w: sql.WebhookRow, last: sql.LastDelivery | null): WebhookDto {
  return {
    id: w.id,
    url: w.url,
    types: w.types,
    active: w.active,
    description: w.description,
    deliveredSeq: w.deliveredSeq,
    failingSince: w.failingSince?.toISOString() ?? null,
    disabledReason: w.disabledReason,
    lastDelivery: last ? { status: last.status, responseStatus: last.responseStatus, at: last.at.toISOString() } : null,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

function toDeliveryDto(d: sql.DeliveryRow): WebhookDeliveryDto {
  return {
    id: d.id,
    eventId: d.eventId,
    eventSeq: d.eventSeq,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    responseMs: d.responseMs,
    error: d.error,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}
