import type { PositionInput, PositionsAck } from '@/server/protocol/position';
import { toPositionInput } from './fix';
import type { FixQueue, QueuedFix } from './fix-queue';

/** The acknowledged channel to the server: the /driver socket. `send` rejects without an ack. */
export interface AckTransport {
  readonly connected: boolean;
  send(batch: PositionInput[]): Promise<PositionsAck>;
}

export interface UploaderEvents {
  /** The server stored `accepted` fixes (a replay of stored ones counts as stored). */
  acknowledged(at: number, accepted: number): void;
  /** The server refused fixes for good; they left the queue. */
  refused(count: number, code: string, message: string): void;
  /** Sending failed for now; the same fixes go again in `inMs`. */
  retrying(code: string, message: string, inMs: number): void;
  /** The queue changed (fixes left it). */
  queueChanged(): void;
}

/** Refusals that waiting can cure: the fixes stay queued and are sent again. */
const RETRYABLE = new Set(['RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL']);
export const BATCH_SIZE = 50;
const MAX_BACKOFF_MS = 30_000;

/** What one acknowledgement means for the batch it answers. */
export interface Settlement {
  /** seqs that leave the queue: stored, or refused for good */
  done: number[];
  accepted: number;
  refused: { count: number; code: string; message: string } | null;
  /** the first refusal worth retrying, when some fixes stay queued */
  retry: { code: string; message: string } | null;
}

export function settle(batch: readonly QueuedFix[], ack: PositionsAck): Settlement {
  const whole = ack.rejected.find((r) => r.index < 0 || r.index >= batch.length);
  if (whole) return { done: [], accepted: 0, refused: null, retry: { code: whole.code, message: whole.message } };
  const rejectedAt = new Map(ack.rejected.map((r) => [r.index, r]));
  const settlement: Settlement = { done: [], accepted: 0, refused: null, retry: null };
  batch.forEach((queued, index) => {
    const rejection = rejectedAt.get(index);
    if (!rejection) {
      settlement.done.push(queued.seq);
      settlement.accepted += 1;
    } else if (RETRYABLE.has(rejection.code)) {
      settlement.retry ??= { code: rejection.code, message: rejection.message };
    } else {
      settlement.done.push(queued.seq);
      settlement.refused = { count: (settlement.refused?.count ?? 0) + 1, code: rejection.code, message: rejection.message };
    }
  });
  return settlement;
}

/**
 * Replays the queue in order: oldest first, one batch in flight, each fix removed only once the
 * server acknowledged it. Fixes the server could not take yet stay at the head of the queue and
 * go again after a backoff; a duplicate send is harmless (the server stores a fix once).
 */
export class FixUploader {
  private running = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly queue: FixQueue,
    private readonly owner: string,
    private readonly transport: AckTransport,
    private readonly events: UploaderEvents,
    private readonly batchSize = BATCH_SIZE,
  ) {}

  /** Send what is queued as soon as possible (not before a running backoff ends). */
  kick(): void {
    if (this.closed || this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  /** The connection is back: end any backoff and send now. */
  resume(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.failures = 0;
    this.kick();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (!this.closed && this.transport.connected) {
        this.again = false;
        const batch = await this.queue.oldest(this.owner, this.batchSize);
        if (batch.length === 0) break;
        let ack: PositionsAck;
        try {
          ack = await this.transport.send(batch.map((q) => toPositionInput(q.fix, q.vehicleId)));
        } catch {
          this.backoff('UNAVAILABLE', 'no acknowledgement from the server');
          break;
        }
        const result = settle(batch, ack);
        if (result.done.length > 0) {
          await this.queue.remove(result.done);
          this.events.queueChanged();
        }
        if (result.accepted > 0) this.events.acknowledged(Date.now(), result.accepted);
        if (result.refused) this.events.refused(result.refused.count, result.refused.code, result.refused.message);
        if (result.retry) {
          this.backoff(result.retry.code, result.retry.message);
          break;
        }
        this.failures = 0;
      }
    } catch (error) {
      this.backoff('INTERNAL', error instanceof Error ? error.message : 'the queue could not be read');
    } finally {
      this.running = false;
    }
    if (this.again && !this.timer) this.kick();
  }

  private backoff(code: string, message: string): void {
    if (this.closed) return;
    this.failures += 1;
    const inMs = code === 'RATE_LIMITED' ? 1000 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.failures - 1));
    this.events.retrying(code, message, inMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, inMs);
  }
}
