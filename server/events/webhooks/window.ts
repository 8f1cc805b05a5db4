/**
 * The part of one webhook's log between its durable cursor and the last event read, and what of it
 * may be sent now. Pure bookkeeping (no I/O, no clock), so the ordering rules live in one place:
 *
 * - events of one aggregate go one at a time, in seq order: an aggregate's next event is offered
 *   only once the one before it is done;
 * - events of different aggregates may go at once, lowest seq first;
 * - the low-water mark — the seq at and below which every event is done — is the only cursor
 *   that may be stored: it never passes an event that is not done.
 */
export interface WindowEvent {
  seq: number;
  aggregate: { type: string; id: string };
}

export class DeliveryWindow<E extends WindowEvent> {
  /** Events not yet done, per aggregate, in seq order; a busy aggregate's head is in flight. */
  private readonly queues = new Map<string, E[]>();
  private readonly busy = new Set<string>();
  /** Heads of aggregates with nothing in flight: what may be sent next, lowest seq first. */
  private readonly ready = new MinHeap<E>();
  /** Seqs of every event added and not yet passed by the low-water mark, in order, from `start`. */
  private seqs: number[] = [];
  private start = 0;
  private readonly doneSeqs = new Set<number>();
  private read: number;

  /** `cursor`: the stored cursor, where reading the log resumes. */
  constructor(cursor: number) {
    this.read = cursor;
  }

  /** The seq after which the log is read next. */
  get readSeq(): number {
    return this.read;
  }

  /** Events in flight (as many as busy aggregates). */
  get inFlight(): number {
    return this.busy.size;
  }

  /** Events added and not done, in flight or waiting. */
  get undelivered(): number {
    return this.seqs.length - this.start - this.doneSeqs.size;
  }

  /**
   * The next page read from the log, in seq order, all after `readSeq`. `through` (the page's last
   * seq, or more when the reader knows nothing else can follow) moves `readSeq` even past events
   * the page left out.
   */
  add(events: readonly E[], through = events.at(-1)?.seq ?? this.read): void {
    for (const event of events) {
      if (event.seq <= this.read) throw new Error(`event ${event.seq} is not after ${this.read}: pages must follow each other`);
      this.read = event.seq;
      this.seqs.push(event.seq);
      const key = keyOf(event);
      const queue = this.queues.get(key);
      if (queue) queue.push(event);
      else {
        this.queues.set(key, [event]);
        this.ready.push(event);
      }
    }
    this.read = Math.max(this.read, through);
  }

  /** Up to `limit` events that may be sent now (each its aggregate's next), marked in flight. */
  take(limit: number): E[] {
    const taken: E[] = [];
    while (taken.length < limit && this.ready.size > 0) {
      const event = this.ready.pop()!;
      this.busy.add(keyOf(event));
      taken.push(event);
    }
    return taken;
  }

  /** `event` (in flight) is done — delivered, or passed over: its aggregate's next may go. */
  done(event: E): void {
    const key = keyOf(event);
    const queue = this.queues.get(key);
    if (!this.busy.has(key) || queue?.[0] !== event) throw new Error(`event ${event.seq} is not in flight`);
    this.busy.delete(key);
    queue.shift();
    if (queue.length > 0) this.ready.push(queue[0]!);
    else this.queues.delete(key);
    this.doneSeqs.add(event.seq);
  }

  /** The highest seq at and below which every event read is done: the cursor to store. */
  get lowWater(): number {
    while (this.start < this.seqs.length && this.doneSeqs.delete(this.seqs[this.start]!)) this.start++;
    // Drop the passed prefix now and then, not on every call.
    if (this.start > 1024 && this.start * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.start);
      this.start = 0;
    }
    return this.start < this.seqs.length ? this.seqs[this.start]! - 1 : this.read;
  }
}

/**
 * The part of a published batch (one tenant's events, any types) after `readSeq`, when it
 * continues the log from there without a gap: [] when all of it was read, null when something
 * between `readSeq` and the batch has not been seen (then the log must be read).
 */
export function following<E extends { seq: number }>(readSeq: number, batch: readonly E[]): E[] | null {
  const fresh = batch.filter((e) => e.seq > readSeq);
  return fresh.every((e, i) => e.seq === readSeq + 1 + i) ? fresh : null;
}

const keyOf = (e: WindowEvent) => `${e.aggregate.type}|${e.aggregate.id}`;

/** A binary heap by seq. */
class MinHeap<E extends { seq: number }> {
  private readonly items: E[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: E): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.seq <= a[i]!.seq) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): E | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < a.length && a[l]!.seq < a[least]!.seq) least = l;
      if (r < a.length && a[r]!.seq < a[least]!.seq) least = r;
      if (least === i) break;
      [a[least], a[i]] = [a[i]!, a[least]!];
      i = least;
    }
    return top;
  }
}
