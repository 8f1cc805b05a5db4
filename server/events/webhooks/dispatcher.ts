import type { Prisma } from '../../db/database';
import { queryEvents } from '../../db/sql/events';
import * as sql from '../../db/sql/webhooks';
import type { Logger } from '../../log';
import { newEvent, SYSTEM, typeSelected, type DomainEvent } from '../../protocol/events';
import { WEBHOOK_HEADERS } from '../../protocol/webhooks';
import type { EventBus } from '../bus';
import type { EventLog } from '../log';
import { uuid7 } from '../uuid7';
import { retryDelayMs, type Backoff } from './backoff';
import { send, type Attempt } from './send';
import { sign } from './signature';

/** Events read from the log per query. */
const PAGE = 100;
/** Wait before a loop whose database work failed tries again. */
const LOOP_RETRY_MS = 5_000;

export interface DispatcherOptions {
  prisma: Prisma;
  bus: EventBus;
  events: EventLog;
  log: Logger;
  timeoutMs: number;
  backoff: Backoff;
  /** A delivery failing this long is marked failed; a webhook failing this long is disabled. */
  giveUpMs: number;
  allowPrivate: boolean;
  /** Raises a system alert for the tenant (a webhook was disabled). */
  systemError: (tenantId: string, message: string, details: Record<string, unknown>) => void;
}

/** One active webhook's delivery loop and what it needs to know of the webhook. */
interface Loop {
  webhook: sql.WebhookRow;
  /** Events may have arrived since the loop last found none: read the log again. */
  dirty: boolean;
  running: boolean;
  stopped: boolean;
  /** Ends the back-off wait early (webhook changed, a ping got through, shutdown). */
  wakeFromSleep: (() => void) | null;
  /** Aborts the attempt in flight (shutdown, webhook removed). */
  abort: AbortController;
}

type Outcome = 'delivered' | 'stopped';

/**
 * Delivers each active webhook's events from its durable cursor (`delivered_seq`): one loop per
 * webhook reads the tenant's log after the cursor, sends one event at a time in seq order (the
 * tenant's total order, so also in order per aggregate), retries a failing one with back-off,
 * and moves the cursor after each success. An event still failing after the give-up period is
 * marked failed and its webhook disabled, with the cursor left before it (turning the webhook on
 * again resumes there). At-least-once: the cursor moves only after a receiver's 2xx, so a crash
 * re-sends at most the event in flight.
 *
 * Loops are woken by the bus, read the log themselves, and never hold anything up: ingestion
 * only pays for a flag per webhook of the tenant. A loop whose receiver is down sleeps through
 * its back-off while events wait in the log.
 */
export class WebhookDispatcher {
  private readonly loops = new Map<string, Loop>();
  private readonly byTenant = new Map<string, Set<Loop>>();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly o: DispatcherOptions) {}

  /** Subscribes to the bus and resumes every active webhook from its cursor. */
  async start(): Promise<void> {
    this.unsubscribe = this.o.bus.subscribe((events) => this.published(events));
    for (const webhook of await sql.activeWebhooks(this.o.prisma)) this.track(webhook);
  }

  /** Stops every loop, aborting attempts in flight (their deliveries are re-sent after a restart). */
  async stop(timeoutMs = 1000): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    const loops = [...this.loops.values()];
    for (const loop of loops) this.halt(loop);
    const deadline = Date.now() + timeoutMs;
    while (loops.some((l) => l.running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  /** A webhook was created or changed: (re)start its loop with its current settings, or end it when inactive. */
  track(webhook: sql.WebhookRow): void {
    if (this.stopped) return;
    const loop = this.loops.get(webhook.id);
    if (!webhook.active) {
      if (loop) this.forget(loop);
      return;
    }
    if (loop) {
      // The loop's own cursor is never behind the stored one.
      loop.webhook = { ...webhook, deliveredSeq: Math.max(webhook.deliveredSeq, loop.webhook.deliveredSeq) };
      loop.wakeFromSleep?.();
      this.wake(loop);
      return;
    }
    const fresh: Loop = { webhook, dirty: true, running: false, stopped: false, wakeFromSleep: null, abort: new AbortController() };
    this.loops.set(webhook.id, fresh);
    let set = this.byTenant.get(webhook.tenantId);
    if (!set) this.byTenant.set(webhook.tenantId, (set = new Set()));
    set.add(fresh);
    this.wake(fresh);
  }

  /** A webhook was deleted. */
  remove(id: string): void {
    const loop = this.loops.get(id);
    if (loop) this.forget(loop);
  }

  /** The receiver answered (a ping or a manual redelivery): a loop waiting out its back-off tries now. */
  receiverAnswered(id: string): void {
    this.loops.get(id)?.wakeFromSleep?.();
  }

  /** One signed POST of `body` for a delivery; used by the loops, pings and manual redeliveries. */
  attempt(webhook: Pick<sql.WebhookRow, 'url' | 'secret'>, deliveryId: string, type: string, body: string, signal?: AbortSignal): Promise<Attempt> {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      [WEBHOOK_HEADERS.event]: type,
      [WEBHOOK_HEADERS.delivery]: deliveryId,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: sign(webhook.secret, timestamp, body),
    };
    return send(webhook.url, body, headers, { timeoutMs: this.o.timeoutMs, allowPrivate: this.o.allowPrivate, signal });
  }

  // ── loops ─────────────────────────────────────────────────────────────────────────────────

  private published(events: readonly DomainEvent[]): void {
    for (const event of events) {
      const loops = this.byTenant.get(event.tenantId);
      if (!loops) continue;
      for (const loop of loops) if (!loop.dirty && typeSelected(loop.webhook.types, event.type)) this.wake(loop);
    }
  }

  private wake(loop: Loop): void {
    loop.dirty = true;
    if (!loop.running && !loop.stopped) void this.run(loop);
  }

  private halt(loop: Loop): void {
    loop.stopped = true;
    loop.abort.abort();
    loop.wakeFromSleep?.();
  }

  private forget(loop: Loop): void {
    this.halt(loop);
    this.loops.delete(loop.webhook.id);
    const set = this.byTenant.get(loop.webhook.tenantId);
    set?.delete(loop);
    if (set?.size === 0) this.byTenant.delete(loop.webhook.tenantId);
  }

  private async run(loop: Loop): Promise<void> {
    loop.running = true;
    try {
      while (loop.dirty && !loop.stopped) {
        loop.dirty = false;
        for (;;) {
          const { tenantId, deliveredSeq, types } = loop.webhook;
          const events = await queryEvents(this.o.prisma, tenantId, { after: deliveredSeq, types }, 'asc', PAGE);
          for (const event of events) {
            // Types may have changed since the page was read.
            const outcome = typeSelected(loop.webhook.types, event.type) ? await this.deliver(loop, event) : 'delivered';
            if (outcome === 'stopped' || loop.stopped) return;
            loop.webhook.deliveredSeq = event.seq;
            await sql.advanceCursor(this.o.prisma, loop.webhook.id, event.seq);
          }
          if (events.length < PAGE) break;
        }
      }
    } catch (error) {
      if (this.stopped) return; // the database is closing
      this.o.log.error({ err: error, webhookId: loop.webhook.id }, 'webhook delivery loop failed, will retry');
      if (!loop.stopped) setTimeout(() => this.wake(loop), LOOP_RETRY_MS).unref();
    } finally {
      loop.running = false;
    }
  }

  /** Delivers one event, retrying with back-off until it is delivered, or given up (and the webhook disabled). */
  private async deliver(loop: Loop, event: DomainEvent): Promise<Outcome> {
    const { prisma } = this.o;
    const webhookId = loop.webhook.id;
    const delivery =
      (await sql.pendingDelivery(prisma, webhookId, event.id)) ??
      (await sql.insertDelivery(prisma, { id: uuid7(), webhookId, tenantId: event.tenantId, eventId: event.id, eventSeq: event.seq, eventType: event.type }));
    const body = JSON.stringify(event);
    let attempts = delivery.attempts;
    for (;;) {
      const result = await this.attempt(loop.webhook, delivery.id, event.type, body, loop.abort.signal);
      if (loop.stopped) return 'stopped';
      attempts += 1;
      const now = Date.now();
      const record = { attempts, responseStatus: result.status, responseMs: result.ms, error: result.error };
      if (result.ok) {
        await sql.recordAttempt(prisma, delivery.id, { ...record, status: 'delivered', nextAttemptAt: null });
        if (loop.webhook.failingSince) {
          loop.webhook.failingSince = null;
          await sql.setFailingSince(prisma, webhookId, null);
        }
        return 'delivered';
      }
      if (!loop.webhook.failingSince) {
        loop.webhook.failingSince = new Date(now);
        await sql.setFailingSince(prisma, webhookId, loop.webhook.failingSince);
      }
      // Nothing has succeeded since failingSince, so a delivery failing for the whole period also
      // means the webhook has: giving up on the delivery and disabling the webhook are one step.
      const expired = now - delivery.createdAt.getTime() >= this.o.giveUpMs || now - loop.webhook.failingSince.getTime() >= this.o.giveUpMs;
      const delay = retryDelayMs(attempts, this.o.backoff);
      await sql.recordAttempt(prisma, delivery.id, { ...record, status: expired ? 'failed' : 'pending', nextAttemptAt: expired ? null : new Date(now + delay) });
      if (expired) {
        // The cursor stays before this event: turning the webhook on again resumes with it.
        await this.disable(loop);
        return 'stopped';
      }
      await this.sleep(loop, delay);
      if (loop.stopped) return 'stopped';
    }
  }

  /** Failing for the whole give-up period: turned off, with an event and an alert for its tenant. */
  private async disable(loop: Loop): Promise<void> {
    const { id, tenantId, url, failingSince } = loop.webhook;
    const reason = `every delivery failed for ${duration(this.o.giveUpMs)}`;
    this.forget(loop);
    const disabled = await this.o.events.transact(async (tx, emit) => {
      const changed = await sql.disableWebhook(tx, id, reason);
      if (changed) emit(newEvent({ tenantId, type: 'webhook.disabled', aggregateId: id, actor: SYSTEM, data: { reason } }));
      return changed;
    });
    if (!disabled) return;
    this.o.log.warn({ webhookId: id, url }, 'webhook disabled after failing too long');
    this.o.systemError(tenantId, `Webhook ${url} was disabled: ${reason}`, { webhookId: id, url, failingSince: failingSince?.toISOString() ?? null });
  }

  private sleep(loop: Loop, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        loop.wakeFromSleep = null;
        resolve();
      }
      loop.wakeFromSleep = done;
    });
  }
}

/** 24 h, 90 min, 1.8 s: the give-up period as a person reads it. */
function duration(ms: number): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  if (ms >= 3_600_000) return `${round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 1000)} s`;
}
