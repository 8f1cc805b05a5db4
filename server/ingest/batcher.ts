import type { Logger } from '../log';
import { ApiError } from '../protocol/errors';
import type { Position } from '../protocol/position';

export interface BatcherOptions {
  /** Positions arriving within this window (ms) of an idle writer share its next write. */
  coalesceMs: number;
  batchSize: number;
  /** Positions waiting beyond which new submissions are refused with UNAVAILABLE. */
  limit: number;
  /**
   * Makes one batch durable and resolves with the positions that were new (duplicates of stored
   * ones are acknowledged but not passed on); throws when the database is unavailable (the batch
   * is retried).
   */
  persist(batch: Position[]): Promise<Position[]>;
  /** Runs after a batch is durable with its new positions: evaluation and publishing. Must not throw. */
  committed(fresh: Position[]): void;
  log: Logger;
}

interface Pending {
  positions: Position[];
  resolve(): void;
  reject(error: Error): void;
}

const MAX_RETRY_DELAY_MS = 2000;

/**
 * Bounded queue between the ways in and the database, written with group commit: an idle writer
 * takes what arrived within `coalesceMs`; while a write is in flight the next batch gathers and
 * goes as soon as it ends. Latency stays near one write at low load and batches grow with load.
 * A submission resolves only after its batch committed, so an acknowledgement means durable. When the database fails the batch stays at the head of the
 * queue and is retried with backoff; new submissions wait until the queue is full, then get
 * UNAVAILABLE (back-pressure). Nothing accepted is dropped.
 */
export class Batcher {
  private queue: Pending[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: BatcherOptions) {}

  /** Positions waiting to be written. */
  get depth(): number {
    return this.queued;
  }

  /** Resolves when every position is durable; rejects with UNAVAILABLE when the queue is full. */
  submit(positions: Position[]): Promise<void> {
    if (positions.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new ApiError('UNAVAILABLE', 'server is shutting down'));
    if (this.queued + positions.length > this.options.limit) {
      return Promise.reject(new ApiError('UNAVAILABLE', 'ingest queue is full, retry later'));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ positions, resolve, reject });
      this.queued += positions.length;
      if (this.queued >= this.options.batchSize && this.failures === 0) this.schedule(0);
      else this.schedule(this.options.coalesceMs);
    });
  }

  /** Writes everything queued now (used at shutdown). Gives up after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    while ((this.queued > 0 || this.flushing) && Date.now() < deadline) {
      await (this.flushing ?? this.flush());
      if (this.failures > 0) await new Promise((r) => setTimeout(r, 100));
    }
    if (this.timer) clearTimeout(this.timer);
    for (const pending of this.queue) pending.reject(new ApiError('UNAVAILABLE', 'server shut down before the position was stored'));
    this.queue = [];
    this.queued = 0;
  }

  private schedule(delay: number): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const taken = this.take();
    if (taken.length === 0) return Promise.resolve();
    this.flushing = this.write(taken).finally(() => {
      this.flushing = null;
      if (this.queued > 0 && !this.closed) {
        // What gathered during the write goes next, at once (group commit); after a failure, back off.
        this.schedule(this.failures > 0 ? Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** this.failures) : 0);
      }
    });
    return this.flushing;
  }

  /** Takes whole submissions from the head until the batch is full. */
  private take(): Pending[] {
    const taken: Pending[] = [];
    let count = 0;
    while (this.queue.length > 0 && (count === 0 || count + this.queue[0]!.positions.length <= this.options.batchSize)) {
      const next = this.queue.shift()!;
      taken.push(next);
      count += next.positions.length;
    }
    return taken;
  }

  private async write(taken: Pending[]): Promise<void> {
    const batch = taken.flatMap((p) => p.positions);
    let fresh: Position[];
    try {
      fresh = await this.options.persist(batch);
    } catch (error) {
      this.failures += 1;
      this.queue.unshift(...taken);
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.options.log.error({ err: error, queued: this.queued, failures: this.failures }, 'ingest batch failed, will retry');
      }
      return;
    }
    if (this.failures > 0) this.options.log.info({ failures: this.failures }, 'ingest recovered');
    this.failures = 0;
    this.queued -= batch.length;
    for (const pending of taken) pending.resolve();
    if (fresh.length > 0) this.options.committed(fresh);
  }
}
