import type { EventHandler } from '../bus';
import { typeSelected, type DomainEvent } from '../../protocol/events';
import type { ErrorCode } from '../../protocol/errors';

/** A comment line every 30 s keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_MS = 30_000;
/** What EventSource waits before reconnecting after the stream ends. */
export const RETRY_MS = 3_000;
/** Events read from the log per query (replay and gap fills). */
const PAGE = 500;
/** Live events held for a client that has not taken the previous ones; beyond it the client is too slow. */
const MAX_PENDING = 10_000;
/** Bytes queued towards the socket before the session stops reading (the stream's back-pressure). */
const HIGH_WATER_BYTES = 64 * 1024;

export interface EventStreamOptions {
  tenantId: string;
  /** `types` filter (undefined: every type). */
  types: readonly string[] | undefined;
  /** The client's cursor: the last seq it has (0 for everything). */
  after: number;
  /** The tenant's selected events with after < seq (< before), ascending, at most `limit`. */
  read(after: number, before: number | undefined, limit: number): Promise<DomainEvent[]>;
  subscribe(handler: EventHandler): () => void;
  /** When the stream ends, with how many events it sent and why. */
  onClose?(summary: { sent: number; lastSeq: number; reason: string }): void;
  /** Tests only: a shorter heartbeat, a smaller pending bound, smaller pages. */
  heartbeatMs?: number;
  maxPending?: number;
  pageSize?: number;
}

const encoder = new TextEncoder();

/**
 * One client's Server-Sent Events stream of its tenant's events: exactly once, in seq order,
 * from its cursor on, with no gap between the replay from the durable log and live events from
 * the bus.
 *
 * The log is the truth and the bus a shortcut. The session subscribes first, then replays from
 * the log, so nothing committed in between is missed; afterwards it takes bus events in seq
 * order, skipping what it has passed. `position` is the seq up to which every tenant event has
 * been either sent or found not selected. The bus may deliver a tenant's events slightly out of
 * order (concurrent transactions publish after their commits) and, with a `types` filter, most
 * seqs are never sent: when the next event seen is beyond `position + 1`, the events between are
 * read from the log before it. That read is complete because a seq is taken under the tenant's
 * counter lock, held until commit: when an event is published, every lower seq is committed.
 *
 * Memory per client is bounded: frames wait in the stream's queue only up to HIGH_WATER_BYTES
 * (the session then waits for the client to read), the log is read a page at a time, and live
 * events waiting for a slow client are capped; past the cap the client gets `event: error` and
 * the stream ends — it resumes from its Last-Event-ID, out of the log.
 */
export class EventStreamSession {
  readonly stream: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  /** Bus events above `position`, by seq; null for events the `types` filter does not select. */
  private readonly pending = new Map<number, DomainEvent | null>();
  private position: number;
  private sent = 0;
  private closed = false;
  private unsubscribe: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private waiter: (() => void) | null = null;
  private readonly maxPending: number;
  private readonly pageSize: number;

  constructor(private readonly options: EventStreamOptions) {
    this.position = options.after;
    this.maxPending = options.maxPending ?? MAX_PENDING;
    this.pageSize = options.pageSize ?? PAGE;
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.wake(),
        cancel: () => this.close('client disconnected'),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_BYTES }),
    );
  }

  /** Starts streaming: the retry hint, then the replay, then live events. */
  start(): void {
    this.write(`retry: ${RETRY_MS}\n\n`);
    this.unsubscribe = this.options.subscribe((events) => this.observe(events));
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), this.options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
    void this.run();
  }

  /** Ends the stream (the client went away, or the server stops). */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.pending.clear();
    this.wake();
    try {
      this.controller.close();
    } catch {
      // already closed or cancelled by the client
    }
    this.options.onClose?.({ sent: this.sent, lastSeq: this.position, reason });
  }

  private observe(events: readonly DomainEvent[]): void {
    if (this.closed) return;
    for (const e of events) {
      if (e.tenantId !== this.options.tenantId || e.seq <= this.position) continue;
      this.pending.set(e.seq, typeSelected(this.options.types, e.type) ? e : null);
    }
    if (this.pending.size > this.maxPending) {
      this.fail('UNAVAILABLE', `this client fell more than ${this.maxPending} events behind; reconnect with Last-Event-ID ${this.position} to resume`);
      return;
    }
    this.wake();
  }

  private async run(): Promise<void> {
    try {
      await this.readLog(undefined);
      while (!this.closed) {
        const next = this.nextPending();
        if (next === undefined) await this.signal();
        else if (next > this.position + 1) await this.readLog(next);
        else {
          const event = this.pending.get(next)!;
          this.pending.delete(next);
          if (event) await this.send(event);
          this.position = Math.max(this.position, next);
        }
      }
    } catch {
      this.fail('UNAVAILABLE', `the event log could not be read; reconnect with Last-Event-ID ${this.position} to resume`);
    }
  }

  /** Sends the log's selected events after `position` (and before `before`), page by page; then everything below `before` is done. */
  private async readLog(before: number | undefined): Promise<void> {
    for (;;) {
      const page = await this.options.read(this.position, before, this.pageSize);
      for (const event of page) {
        if (this.closed) return;
        await this.send(event);
      }
      if (page.length < this.pageSize) break;
    }
    if (before !== undefined) this.position = Math.max(this.position, before - 1);
  }

  /** The lowest pending seq above `position` (dropping any at or below it). */
  private nextPending(): number | undefined {
    let min: number | undefined;
    for (const seq of this.pending.keys()) {
      if (seq <= this.position) this.pending.delete(seq);
      else if (min === undefined || seq < min) min = seq;
    }
    return min;
  }

  private async send(event: DomainEvent): Promise<void> {
    while (!this.closed && (this.controller.desiredSize ?? 0) <= 0) await this.signal();
    if (this.closed || event.seq <= this.position) return;
    // JSON.stringify escapes line breaks inside strings, so the envelope is one `data:` line.
    this.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    this.position = event.seq;
    this.sent++;
  }

  /** A final `event: error` (no id: the client's cursor stays on the last event it got), then the end. */
  private fail(code: ErrorCode, message: string): void {
    if (this.closed) return;
    this.write(`event: error\ndata: ${JSON.stringify({ error: { code, message } })}\n\n`);
    this.close(message);
  }

  private write(text: string): void {
    if (this.closed) return;
    try {
      this.controller.enqueue(encoder.encode(text));
    } catch {
      this.close('client disconnected');
    }
  }

  private signal(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
