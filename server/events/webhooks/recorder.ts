import type { DeliveryRecord } from '../../db/sql/webhooks';

export interface RecorderOptions {
  /** Writes the newest state of each delivery and, when not null, the cursor: in one statement. */
  write: (records: DeliveryRecord[], cursor: number | null) => Promise<void>;
  /** How long a change may wait to be written with others. */
  intervalMs: number;
  /** Write at once when this many deliveries are waiting. */
  maxBatch: number;
  onError: (error: unknown) => void;
}

/** After a failed write, wait this many intervals before trying again. */
const RETRY_INTERVALS = 10;

/**
 * Writes one webhook's delivery log and cursor in batches: at a thousand events a second, a row
 * and a cursor update per event would cost more than sending them. A delivery's outcome and the
 * cursor it lets through are written together (rows first, in the same statement), at most
 * `intervalMs` later; a crash in between loses only that, and the cursor then still stands before
 * those events, so they are sent again (at least once).
 */
export class DeliveryRecorder {
  /** The newest state of each delivery changed since the last write. */
  private waiting = new Map<string, DeliveryRecord>();
  private cursor: number | null = null;
  private written: number;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;

  /** `cursor`: the cursor as stored. */
  constructor(
    cursor: number,
    private readonly o: RecorderOptions,
  ) {
    this.written = cursor;
  }

  /** A delivery's state after an attempt (a later record of the same id replaces it). */
  record(delivery: DeliveryRecord): void {
    this.waiting.set(delivery.id, delivery);
    if (this.waiting.size >= this.o.maxBatch) void this.flush();
    else this.schedule(this.o.intervalMs);
  }

  /** The cursor may move to `seq` (a lower one than already asked for changes nothing). */
  advance(seq: number): void {
    if (seq <= Math.max(this.written, this.cursor ?? -1)) return;
    this.cursor = seq;
    this.schedule(this.o.intervalMs);
  }

  /** Writes what waits now, after any write in progress; never rejects (errors go to `onError`). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.writing) await this.writing;
    if (this.waiting.size === 0 && this.cursor === null) return;
    const records = [...this.waiting.values()];
    const cursor = this.cursor;
    this.waiting = new Map();
    this.cursor = null;
    this.writing = this.o.write(records, cursor).then(
      () => {
        if (cursor !== null) this.written = Math.max(this.written, cursor);
      },
      (error: unknown) => {
        this.o.onError(error);
        // Put back what no newer state has replaced meanwhile, and try again later.
        for (const r of records) if (!this.waiting.has(r.id)) this.waiting.set(r.id, r);
        if (cursor !== null && (this.cursor === null || this.cursor < cursor)) this.cursor = cursor;
        this.schedule(this.o.intervalMs * RETRY_INTERVALS);
      },
    );
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
  }

  /** Stops the timer; what waits is dropped unless flushed first. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closed = true;
  }

  private schedule(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    this.timer.unref();
  }
}
