import type { Prisma } from '../db/database';
import type { Principal } from '../auth/tokens';
import { appendEvents, findEvent, queryEvents, type Tx } from '../db/sql/events';
import type { Logger } from '../log';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { eventsQuery, type DomainEvent, type EventPage, type NewEvent } from '../protocol/events';
import type { EventBus } from './bus';

/**
 * Prisma's interactive transactions give up after 5 s by default; a 1,000-vehicle import with its
 * events on a loaded embedded database can take longer, and a rollback there would lose nothing
 * but the caller's patience. The wait for a connection is bounded too.
 */
const TRANSACTION = { timeout: 30_000, maxWait: 10_000 };
/**
 * Most derived events one group append writes: a backlog after an outage drains in rounds of
 * this size, each well inside the transaction timeout (an unbounded round of 100,000 events took
 * 10 s on PostgreSQL here, overran the timeout and was retried for ever).
 */
const MAX_APPEND = 5_000;

/**
 * The durable event log (`domain_events`) in front of the bus: nothing reaches the bus before
 * it is committed.
 *
 * - `transact` runs a person's change and appends its events in the same transaction (an admin
 *   edit and its audit event commit together or not at all), then publishes them.
 * - `record` appends events derived from committed positions (geofence, alerts, off-route…).
 *   Appends are group-committed: while one is in flight the next ones gather, and they are
 *   written in the order recorded, so the log keeps each vehicle's order and costs one
 *   transaction per round, not per event. A failed append is retried (the events stay queued
 *   in memory, in order) with back-off.
 */
export class EventLog {
  private pending: NewEvent[] = [];
  private running: Promise<void> | null = null;
  private retryMs = 0;
  private stopped = false;
  /** Events appended since start (for benchmarks and metrics). */
  appended = 0;

  constructor(
    private readonly prisma: Prisma,
    private readonly bus: EventBus,
    private readonly log: Logger,
  ) {}

  /**
   * Runs `work` in a transaction; the events it emits are appended in that transaction and
   * published after it commits. `options` overrides the time limits (a road network import).
   */
  async transact<R>(work: (tx: Tx, emit: (...events: NewEvent[]) => void) => Promise<R>, options: { timeout?: number; maxWait?: number } = {}): Promise<R> {
    let appended: DomainEvent[] = [];
    const result = await this.prisma.$transaction(async (tx) => {
      const emitted: NewEvent[] = [];
      const value = await work(tx, (...events) => emitted.push(...events));
      appended = await appendEvents(tx, emitted);
      return value;
    }, { ...TRANSACTION, ...options });
    this.appended += appended.length;
    this.bus.publish(appended);
    return result;
  }

  /** Appends events in their own transaction and publishes them; resolves with them as stored. */
  async append(events: readonly NewEvent[]): Promise<DomainEvent[]> {
    if (events.length === 0) return [];
    // One statement: atomic on its own, no interactive transaction needed.
    const appended = await appendEvents(this.prisma, events);
    this.appended += appended.length;
    this.bus.publish(appended);
    return appended;
  }

  /**
   * `GET /api/v1/events`: the caller's tenant's events matching the query (raw query-string
   * values), by seq, with the cursor of the next page.
   */
  async list(principal: Principal, input: unknown): Promise<EventPage> {
    const { order, limit, ...filter } = parseOrThrow(eventsQuery, input);
    const rows = await queryEvents(this.prisma, principal.tenantId, filter, order, limit + 1);
    const events = rows.slice(0, limit);
    return { events, next: rows.length > limit ? events[events.length - 1]!.seq : null };
  }

  /** One event of the caller's tenant by id; another tenant's is NOT_FOUND. */
  async get(principal: Principal, id: string): Promise<DomainEvent> {
    const event = await findEvent(this.prisma, principal.tenantId, id);
    if (!event) throw new ApiError('NOT_FOUND', `event ${id} not found`);
    return event;
  }

  /** Queues derived events for the next group append (never throws; never drops). */
  record(events: readonly NewEvent[]): void {
    if (events.length === 0 || this.stopped) return;
    for (const e of events) this.pending.push(e);
    if (!this.running) this.running = this.flush();
  }

  /** Events recorded but not yet durable. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Waits (at most `timeoutMs`) for recorded events to be appended, then takes no more. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.running || this.pending.length) && Date.now() < deadline) {
      await Promise.race([this.running ?? Promise.resolve(), new Promise((r) => setTimeout(r, 50))]);
    }
    this.stopped = true;
    if (this.pending.length) this.log.error({ events: this.pending.length }, 'derived events not appended at shutdown');
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      if (this.retryMs) await new Promise((r) => setTimeout(r, this.retryMs));
      const batch = this.pending.length <= MAX_APPEND ? this.pending : this.pending.slice(0, MAX_APPEND);
      this.pending = batch === this.pending ? [] : this.pending.slice(MAX_APPEND);
      try {
        await this.append(batch);
        this.retryMs = 0;
      } catch (error) {
        this.pending = batch.concat(this.pending);
        this.retryMs = Math.min(Math.max(this.retryMs * 2, 100), 5_000);
        this.log.error({ err: error, events: batch.length, retryMs: this.retryMs }, 'events could not be appended, will retry');
        if (this.stopped) break;
      }
    }
    this.running = null;
  }
}
