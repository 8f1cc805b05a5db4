import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../bus';
import type { DomainEvent } from '../../protocol/events';
import { typeSelected } from '../../protocol/events';
import { EventStreamSession, type EventStreamOptions } from './session';

const T = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

function event(seq: number, type: DomainEvent['type'] = 'vehicle.updated', tenantId = T): DomainEvent {
  return {
    id: `id-${tenantId.slice(-1)}-${seq}`,
    seq,
    tenantId,
    type,
    aggregate: { type: 'vehicle', id: 'v1' },
    version: seq,
    at: new Date(1_800_000_000_000 + seq).toISOString(),
    actor: { kind: 'system' },
    correlationId: null,
    causationId: null,
    data: { changes: {} },
  } as DomainEvent;
}

/** A durable log in memory: what the session reads (committed) and publishes (the bus). */
class FakeLog {
  readonly committed: DomainEvent[] = [];
  reads = 0;
  constructor(readonly bus: EventBus) {}
  commit(...events: DomainEvent[]): DomainEvent[] {
    this.committed.push(...events);
    return events;
  }
  reader(types?: string[]): EventStreamOptions['read'] {
    return async (after, before, limit) => {
      this.reads++;
      await Promise.resolve();
      return this.committed
        .filter((e) => e.tenantId === T && e.seq > after && (before === undefined || e.seq < before) && typeSelected(types, e.type))
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit);
    };
  }
}

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/** Reads the stream as a client would, parsing SSE frames. */
class Client {
  readonly frames: Frame[] = [];
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  done = false;
  constructor(stream: ReadableStream<Uint8Array>, autoRead = true) {
    this.reader = stream.getReader();
    if (autoRead) void this.pump();
  }
  async pump(): Promise<void> {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await this.reader.read();
      if (done) return void (this.done = true);
      this.buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const frame: Frame = {};
        for (const line of this.buffer.slice(0, end).split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else {
            const [key, ...rest] = line.split(': ');
            (frame as Record<string, string>)[key!] = rest.join(': ');
          }
        }
        this.frames.push(frame);
        this.buffer = this.buffer.slice(end + 2);
      }
    }
  }
  get seqs(): number[] {
    return this.frames.filter((f) => f.id !== undefined).map((f) => Number(f.id));
  }
  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 5));
const sessions: EventStreamSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close('test over');
  vi.useRealTimers();
});

function open(log: FakeLog, options: Partial<EventStreamOptions> = {}): { session: EventStreamSession; client: Client } {
  const session = new EventStreamSession({
    tenantId: T,
    types: undefined,
    after: 0,
    read: log.reader(options.types as string[] | undefined),
    subscribe: (h) => log.bus.subscribe(h),
    ...options,
  });
  sessions.push(session);
  const client = new Client(session.stream);
  session.start();
  return { session, client };
}

describe('EventStreamSession', () => {
  it('starts with the retry hint, then replays the log after the cursor in pages, with id, event and the envelope', async () => {
    const log = new FakeLog(new EventBus());
    log.commit(...Array.from({ length: 12 }, (_, i) => event(i + 1)));
    const { client } = open(log, { after: 4, pageSize: 3 });
    await settle();
    expect(client.frames[0]).toEqual({ retry: '3000' });
    expect(client.seqs).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    const frame = client.frames[1]!;
    expect(frame.event).toBe('vehicle.updated');
    expect(JSON.parse(frame.data!)).toEqual(event(5));
    expect(log.reads).toBe(3); // 3 + 3 + 2
  });

  it('goes live after the replay without a gap or a duplicate, even for events committed during the replay', async () => {
    const log = new FakeLog(new EventBus());
    log.commit(event(1), event(2));
    const { client } = open(log);
    // committed and published while the replay query runs: in both the log and the bus
    log.bus.publish(log.commit(event(3)));
    await settle();
    log.bus.publish(log.commit(event(4), event(5)));
    await settle();
    expect(client.seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('puts out-of-order bus deliveries back in seq order, filling from the log, each exactly once', async () => {
    const log = new FakeLog(new EventBus());
    const { client } = open(log);
    await settle();
    const [e1, e2, e3] = log.commit(event(1), event(2), event(3));
    log.bus.publish([e3!]); // 1 and 2 committed first, published later
    await settle();
    expect(client.seqs).toEqual([1, 2, 3]);
    log.bus.publish([e2!]);
    log.bus.publish([e1!]);
    log.bus.publish(log.commit(event(4)));
    await settle();
    expect(client.seqs).toEqual([1, 2, 3, 4]);
  });

  it('with a types filter sends only the selected types, and reads the log only when the bus skipped a seq', async () => {
    const log = new FakeLog(new EventBus());
    log.commit(event(1, 'geofence.entered'), event(2), event(3, 'geofence.exited'));
    const { client } = open(log, { types: ['geofence.*'] });
    await settle();
    expect(client.seqs).toEqual([1, 3]);
    const readsAfterReplay = log.reads;
    for (let seq = 4; seq <= 20; seq++) log.bus.publish(log.commit(event(seq, seq % 5 === 0 ? 'geofence.entered' : 'vehicle.updated')));
    await settle();
    expect(client.seqs).toEqual([1, 3, 5, 10, 15, 20]);
    expect(client.frames.filter((f) => f.event).every((f) => f.event!.startsWith('geofence.'))).toBe(true);
    // the bus accounted for every seq from 4 on: no fills needed
    expect(log.reads).toBe(readsAfterReplay);
  });

  it('never sends another tenant\'s events', async () => {
    const log = new FakeLog(new EventBus());
    const { client } = open(log);
    await settle();
    log.bus.publish([event(1, 'vehicle.updated', OTHER), ...log.commit(event(1)), event(2, 'vehicle.updated', OTHER)]);
    await settle();
    expect(client.seqs).toEqual([1]);
    expect(client.frames.filter((f) => f.data).map((f) => JSON.parse(f.data!).tenantId)).toEqual([T]);
  });

  it('unsubscribes from the bus when the client goes away', async () => {
    const bus = new EventBus();
    const log = new FakeLog(bus);
    const closed = vi.fn();
    const { client } = open(log, { onClose: closed });
    await settle();
    expect(bus.size).toBe(1);
    await client.cancel();
    expect(bus.size).toBe(0);
    expect(closed).toHaveBeenCalledWith(expect.objectContaining({ reason: 'client disconnected' }));
  });

  it('sends a ping comment on every heartbeat', async () => {
    vi.useFakeTimers();
    const log = new FakeLog(new EventBus());
    const { client } = open(log, { heartbeatMs: 1_000 });
    await vi.advanceTimersByTimeAsync(3_100);
    expect(client.frames.filter((f) => f.comment === 'ping')).toHaveLength(3);
  });

  it('ends a client that falls too far behind with event: error, leaving its cursor on the last event it got', async () => {
    const log = new FakeLog(new EventBus());
    const session = new EventStreamSession({ tenantId: T, types: undefined, after: 0, read: log.reader(), subscribe: (h) => log.bus.subscribe(h), maxPending: 50 });
    sessions.push(session);
    const client = new Client(session.stream, false); // reads nothing yet
    session.start();
    const big = (seq: number) => ({ ...event(seq), data: { changes: { note: { before: null, after: 'x'.repeat(2_000) } } } }) as DomainEvent;
    for (let seq = 1; seq <= 200; seq++) {
      log.bus.publish(log.commit(big(seq)));
      await new Promise((r) => setImmediate(r)); // the session sends what the queue takes, then holds the rest
    }
    await client.pump();
    expect(client.done).toBe(true);
    const last = client.frames.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.id).toBeUndefined();
    const sent = client.seqs;
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(200);
    expect(sent).toEqual(sent.map((_, i) => i + 1));
    expect(JSON.parse(last.data!).error.message).toContain(`Last-Event-ID ${sent.at(-1)}`);
    expect(log.bus.size).toBe(0);
  });
});
