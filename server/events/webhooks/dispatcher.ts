import { setMaxListeners } from 'node:events';
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
import { DeliveryRecorder } from './recorder';
import { destroyAgents, keepAliveAgents, send, type Agents, type Attempt } from './send';
import { sign } from './signature';
import { DeliveryWindow, following } from './window';

/** Events read from the log per query. */
const PAGE = 500;
/** Events read but not yet delivered, at most: reading stops while a slow receiver catches up. */
const READ_AHEAD = 2_000;
/** Delivery log and cursor writes wait this long to be batched. */
const RECORD_INTERVAL_MS = 100;
/** Wait before work on the database that failed is tried again. */
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
  /** Requests in flight per webhook, at most. */
  concurrency: number;
  /** Raises a system alert for the tenant (a webhook was disabled). */
  systemError: (tenantId: string, message: string, details: Record<string, unknown>) => void;
}

/** One active webhook's delivery loop and what it needs to know of the webhook. */
interface Loop {
  webhook: sql.WebhookRow;
  /** The events between the cursor and the last read, and which may be sent now. */
  window: DeliveryWindow<DomainEvent>;
  recorder: DeliveryRecorder;
  agents: Agents;
  /** Pending deliveries from before (a restart, a give-up), by event id; null until loaded. */
  resumable: Map<string, sql.DeliveryRow> | null;
  /** Events may be in the log that neither a read nor the inbox brought: read the log. */
  dirty: boolean;
  /** The tenant's events published since the loop last looked (every type: their seqs show gaps). */
  inbox: DomainEvent[][];
  /** The tenant's highest seq published so far: everything up to it is committed. */
  publishedSeq: number;
  running: boolean;
  stopped: boolean;
  /** Deliveries whose last attempt failed: while there is one, no new delivery starts. */
  failing: number;
  /** Writes of `failingSince`, one after the other (each writes the value current when it runs). */
  failingWrites: Promise<void>;
  /** Ends the back-off waits early (webhook changed, a ping got through, shutdown). */
  sleepers: Set<() => void>;
  /** Wakes the loop waiting for something to do. */
  nudge: (() => void) | null;
  /** Aborts the attempts in flight (shutdown, webhook removed). */
  abort: AbortController;
}

type Outcome = 'delivered' | 'stopped';

/**
 * Delivers each active webhook's events from its durable cursor (`delivered_seq`). One loop per
 * webhook reads the tenant's log after what it has read, in pages (once caught up it takes the
 * published events that follow straight from the bus), and keeps up to `concurrency`
 * deliveries in flight: never two of one aggregate, each aggregate's in seq order (the window
 * decides, see window.ts), over keep-alive connections. Outcomes and the cursor are written in
 * batches (recorder.ts); the cursor stored is the window's low-water mark, below which every event
 * was delivered, so a crash re-sends at most what was in flight or not yet recorded
 * (at-least-once).
 *
 * A failed attempt is retried with back-off by its own delivery, and while any delivery is
 * failing no new one starts: a failing receiver gets a few retries, not a flood, and the cursor
 * stays just before the failure (as before, a failing event holds back the ones after it). An
 * event still failing after the give-up period is marked failed and its webhook disabled, with
 * the cursor left before it (turning the webhook on again resumes there).
 *
 * Loops are woken by the bus, read the log themselves, and never hold anything up: ingestion
 * only pays for a flag per webhook of the tenant.
 */
export class WebhookDispatcher {
  private readonly loops = new Map<string, Loop>();
  private readonly byTenant = new Map<string, Set<Loop>>();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  /** Delivery attempts since start by outcome: delivered, retry (failed, tried again later), failed (given up). Read by /metrics. */
  readonly outcomes = { delivered: 0, retry: 0, failed: 0 };

  constructor(private readonly o: DispatcherOptions) {}

  /** Subscribes to the bus and resumes every active webhook from its cursor. */
  async start(): Promise<void> {
    this.unsubscribe = this.o.bus.subscribe((events) => this.published(events));
    for (const webhook of await sql.activeWebhooks(this.o.prisma)) this.track(webhook);
  }

  /**
   * Stops every loop, aborting attempts in flight (they are re-sent after a restart), and writes
   * the outcomes and cursor they had reached.
   */
  async stop(timeoutMs = 1000): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    const loops = [...this.loops.values()];
    for (const loop of loops) this.halt(loop);
    const deadline = Date.now() + timeoutMs;
    while (loops.some((l) => l.running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.race([Promise.all(loops.map((l) => l.recorder.flush())), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
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
      // The loop's cursor (the window) is never behind the stored one; the row may be.
      loop.webhook = { ...webhook, failingSince: loop.webhook.failingSince };
      this.receiverAnswered(webhook.id);
      this.wake(loop);
      return;
    }
    const fresh: Loop = {
      webhook,
      window: new DeliveryWindow(webhook.deliveredSeq),
      recorder: new DeliveryRecorder(webhook.deliveredSeq, {
        write: (records, cursor) => sql.recordDeliveries(this.o.prisma, webhook, records, cursor),
        intervalMs: RECORD_INTERVAL_MS,
        maxBatch: PAGE,
        onError: (err) => this.o.log.error({ err, webhookId: webhook.id }, 'writing webhook deliveries failed, will retry'),
      }),
      agents: keepAliveAgents(this.o.concurrency),
      resumable: null,
      dirty: true,
      inbox: [],
      publishedSeq: 0,
      running: false,
      stopped: false,
      failing: 0,
      failingWrites: Promise.resolve(),
      sleepers: new Set(),
      nudge: null,
      abort: new AbortController(),
    };
    // Every delivery in flight listens on the loop's one abort signal.
    setMaxListeners(this.o.concurrency + 1, fresh.abort.signal);
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

  /** The receiver answered (a ping or a manual redelivery): deliveries waiting out their back-off try now. */
  receiverAnswered(id: string): void {
    const loop = this.loops.get(id);
    if (loop) for (const wake of [...loop.sleepers]) wake();
  }

  /** One signed POST of `body` for a delivery; used by the loops, pings and manual redeliveries. */
  attempt(webhook: Pick<sql.WebhookRow, 'url' | 'secret'>, deliveryId: string, type: string, body: string, signal?: AbortSignal, agents?: Agents): Promise<Attempt> {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      [WEBHOOK_HEADERS.event]: type,
      [WEBHOOK_HEADERS.delivery]: deliveryId,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: sign(webhook.secret, timestamp, body),
    };
    return send(webhook.url, body, headers, { timeoutMs: this.o.timeoutMs, allowPrivate: this.o.allowPrivate, signal, agents });
  }

  // ── loops ─────────────────────────────────────────────────────────────────────────────────

  /** Hands each webhook its tenant's new events (the loop takes them if they follow what it read) and wakes it for the ones it wants. */
  private published(events: readonly DomainEvent[]): void {
    for (const [tenantId, ofTenant] of byTenantOf(events)) {
      const loops = this.byTenant.get(tenantId);
      if (!loops) continue;
      for (const loop of loops) {
        loop.inbox.push(ofTenant);
        loop.publishedSeq = Math.max(loop.publishedSeq, ofTenant.at(-1)!.seq);
        if (ofTenant.some((e) => typeSelected(loop.webhook.types, e.type))) this.poke(loop);
      }
    }
  }

  /** Something may be in the log the loop has not read: it reads the log. */
  private wake(loop: Loop): void {
    loop.dirty = true;
    this.poke(loop);
  }

  private poke(loop: Loop): void {
    if (!loop.running && !loop.stopped) void this.run(loop);
    else this.nudge(loop);
  }

  private nudge(loop: Loop): void {
    const nudge = loop.nudge;
    loop.nudge = null;
    nudge?.();
  }

  private halt(loop: Loop): void {
    loop.stopped = true;
    loop.abort.abort();
    for (const wake of [...loop.sleepers]) wake();
    this.nudge(loop);
  }

  /** Ends a loop; what it has recorded is still written, then its connections are closed. */
  private forget(loop: Loop): void {
    this.halt(loop);
    if (this.loops.get(loop.webhook.id) === loop) this.loops.delete(loop.webhook.id);
    const set = this.byTenant.get(loop.webhook.tenantId);
    set?.delete(loop);
    if (set?.size === 0) this.byTenant.delete(loop.webhook.tenantId);
    void loop.recorder.flush().finally(() => {
      loop.recorder.close();
      destroyAgents(loop.agents);
    });
  }

  /**
   * Reads the log ahead of the window and starts deliveries as the window allows, until the
   * loop is stopped; waits for a nudge (events published, a delivery done) when it cannot.
   */
  private async run(loop: Loop): Promise<void> {
    loop.running = true;
    try {
      while (!loop.stopped) {
        this.takeInbox(loop);
        try {
          loop.resumable ??= await sql.pendingDeliveries(this.o.prisma, loop.webhook, loop.window.readSeq);
          if (loop.dirty && loop.window.undelivered < READ_AHEAD) {
            loop.dirty = false;
            const { tenantId, types } = loop.webhook;
            // Committed before the read began, so the read sees all of it.
            const committed = loop.publishedSeq;
            const page = await queryEvents(this.o.prisma, tenantId, { after: loop.window.readSeq, types }, 'asc', PAGE);
            if (loop.stopped) break;
            const full = page.length === PAGE;
            if (full) loop.dirty = true;
            // A short page read everything committed: the window has read up to there, whatever the types.
            loop.window.add(page, full ? page.at(-1)!.seq : Math.max(page.at(-1)?.seq ?? 0, committed));
            loop.recorder.advance(loop.window.lowWater);
          }
        } catch (error) {
          if (this.stopped || loop.stopped) break; // the database is closing
          this.o.log.error({ err: error, webhookId: loop.webhook.id }, 'reading events for a webhook failed, will retry');
          loop.dirty = true;
          await this.sleep(loop, LOOP_RETRY_MS);
          continue;
        }
        this.launch(loop);
        if ((!loop.dirty && loop.inbox.length === 0) || loop.window.undelivered >= READ_AHEAD) await new Promise<void>((resolve) => (loop.nudge = resolve));
      }
    } finally {
      loop.running = false;
    }
  }

  /**
   * Takes published batches that follow what the window has read straight into it: caught up, a
   * webhook then needs no read of the log (whose connections ingestion keeps busy). A batch after
   * a gap (another batch not yet seen, published out of order) or while the window is full
   * leaves it to a read of the log.
   */
  private takeInbox(loop: Loop): void {
    const batches = loop.inbox;
    loop.inbox = [];
    for (const batch of batches) {
      const fresh = following(loop.window.readSeq, batch);
      if (fresh?.length === 0) continue;
      if (!fresh || loop.dirty || loop.window.undelivered >= READ_AHEAD) {
        loop.dirty = true;
        continue;
      }
      loop.window.add(
        fresh.filter((e) => typeSelected(loop.webhook.types, e.type)),
        fresh.at(-1)!.seq,
      );
    }
    loop.recorder.advance(loop.window.lowWater);
  }

  /** Starts what the window allows, unless a delivery is failing (then only it is retried). */
  private launch(loop: Loop): void {
    if (loop.failing > 0 || loop.stopped) return;
    for (const event of loop.window.take(this.o.concurrency - loop.window.inFlight)) void this.deliver(loop, event);
  }

  /** Delivers one event (or passes over one whose type is no longer wanted) and lets the window move on. */
  private async deliver(loop: Loop, event: DomainEvent): Promise<void> {
    for (;;) {
      try {
        // Types may have changed since the page was read.
        const outcome = typeSelected(loop.webhook.types, event.type) ? await this.attempts(loop, event) : 'delivered';
        if (outcome === 'stopped' || loop.stopped) return;
        loop.window.done(event);
        loop.recorder.advance(loop.window.lowWater);
        // The aggregate's next may go now, without waiting for the loop to be between reads.
        this.launch(loop);
        this.nudge(loop);
        return;
      } catch (error) {
        // Only the give-up (disabling the webhook) writes here directly.
        if (this.stopped || loop.stopped) return;
        this.o.log.error({ err: error, webhookId: loop.webhook.id }, 'webhook delivery failed, will retry');
        await this.sleep(loop, LOOP_RETRY_MS);
      }
    }
  }

  /** Attempts one event until it is delivered, or given up (and the webhook disabled). */
  private async attempts(loop: Loop, event: DomainEvent): Promise<Outcome> {
    const resumed = loop.resumable?.get(event.id);
    loop.resumable?.delete(event.id);
    const delivery = { id: resumed?.id ?? uuid7(), eventId: event.id, eventSeq: event.seq, eventType: event.type, createdAt: resumed?.createdAt ?? new Date() };
    const body = JSON.stringify(event);
    let attempts = resumed?.attempts ?? 0;
    let failing = false;
    try {
      for (;;) {
        const result = await this.attempt(loop.webhook, delivery.id, event.type, body, loop.abort.signal, loop.agents);
        if (loop.stopped) return 'stopped';
        attempts += 1;
        const now = new Date();
        const record = { ...delivery, attempts, responseStatus: result.status, responseMs: result.ms, error: result.error, updatedAt: now };
        if (result.ok) {
          this.outcomes.delivered += 1;
          loop.recorder.record({ ...record, status: 'delivered', nextAttemptAt: null });
          if (loop.webhook.failingSince) this.setFailingSince(loop, null);
          return 'delivered';
        }
        if (!failing) {
          failing = true;
          loop.failing += 1;
        }
        if (!loop.webhook.failingSince) this.setFailingSince(loop, now);
        // Nothing has succeeded since failingSince, so a delivery failing for the whole period also
        // means the webhook has: giving up on the delivery and disabling the webhook are one step.
        const expired = now.getTime() - delivery.createdAt.getTime() >= this.o.giveUpMs || now.getTime() - loop.webhook.failingSince!.getTime() >= this.o.giveUpMs;
        const delay = retryDelayMs(attempts, this.o.backoff);
        this.outcomes[expired ? 'failed' : 'retry'] += 1;
        loop.recorder.record({ ...record, status: expired ? 'failed' : 'pending', nextAttemptAt: expired ? null : new Date(now.getTime() + delay) });
        if (expired) {
          // The cursor stays before this event: turning the webhook on again resumes with it.
          await this.disable(loop);
          return 'stopped';
        }
        await this.sleep(loop, delay);
        if (loop.stopped) return 'stopped';
      }
    } finally {
      // The caller (deliver) then launches what waited behind the failure.
      if (failing) loop.failing -= 1;
    }
  }

  private setFailingSince(loop: Loop, since: Date | null): void {
    loop.webhook.failingSince = since;
    const { prisma, log } = this.o;
    loop.failingWrites = loop.failingWrites
      .then(() => sql.setFailingSince(prisma, loop.webhook.id, loop.webhook.failingSince))
      .catch((err: unknown) => log.error({ err, webhookId: loop.webhook.id }, 'recording a webhook failure state failed'));
  }

  /** Failing for the whole give-up period: turned off, with an event and an alert for its tenant. */
  private async disable(loop: Loop): Promise<void> {
    const { id, tenantId, url, failingSince } = loop.webhook;
    const reason = `every delivery failed for ${duration(this.o.giveUpMs)}`;
    this.forget(loop);
    // The failed delivery is in the log before the webhook shows as disabled.
    await Promise.all([loop.recorder.flush(), loop.failingWrites]);
    const disabled = await this.o.events.transact(async (tx, emit) => {
      const changed = await sql.disableWebhook(tx, id, reason);
      if (changed) emit(newEvent({ tenantId, type: 'webhook.disabled', aggregateId: id, actor: SYSTEM, data: { reason } }));
      return changed;
    });
    if (!disabled) return;
    this.o.log.warn({ webhookId: id, url }, 'webhook disabled after failing too long');
    this.o.systemError(tenantId, `Webhook ${url} was disabled: ${reason}`, { webhookId: id, url, failingSince: failingSince?.toISOString() ?? null });
  }

  /** Waits `ms`, or less when the loop is woken (webhook changed, receiver answered, shutdown). */
  private sleep(loop: Loop, ms: number): Promise<void> {
    if (loop.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        loop.sleepers.delete(done);
        resolve();
      }
      loop.sleepers.add(done);
    });
  }
}

/** A published batch split by tenant, each part in seq order. */
function byTenantOf(events: readonly DomainEvent[]): Map<string, DomainEvent[]> {
  const parts = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const part = parts.get(event.tenantId);
    if (part) part.push(event);
    else parts.set(event.tenantId, [event]);
  }
  return parts;
}

/** 24 h, 90 min, 1.8 s: the give-up period as a person reads it. */
function duration(ms: number): string {
  const round = (n: number) => Math.round(n * 10) / 10;
  if (ms >= 3_600_000) return `${round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 1000)} s`;
}
