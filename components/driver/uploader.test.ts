import { describe, expect, it, vi } from 'vitest';
import type { PositionInput, PositionsAck } from '@/server/protocol/position';
import type { Fix } from './fix';
import { memoryFixQueue } from './fix-queue';
import { FixUploader, settle, type AckTransport, type UploaderEvents } from './uploader';

const VEHICLE = '6f1c2a52-5b8e-4c1e-9d51-4d0a8f0e7a11';
const fixAt = (i: number): Fix => ({ lat: 52.5 + i / 1000, lng: 13.4, timestamp: 1_800_000_000_000 + i * 1000, accuracy: 5 });

/** A server that stores each fix once by timestamp, and can refuse or stay silent. */
class FakeServer implements AckTransport {
  connected = true;
  readonly stored = new Map<number, PositionInput>();
  readonly batches: number[] = [];
  answer: (batch: PositionInput[]) => PositionsAck | 'silence' = () => ({ accepted: 0, rejected: [] });

  async send(batch: PositionInput[]): Promise<PositionsAck> {
    this.batches.push(batch.length);
    const answer = this.answer(batch);
    if (answer === 'silence') throw new Error('ack timeout');
    const refused = new Set(answer.rejected.map((r) => r.index));
    batch.forEach((p, i) => !refused.has(i) && this.stored.set(p.timestamp as number, p));
    return { accepted: batch.length - refused.size, rejected: answer.rejected };
  }
}

function events(): UploaderEvents & { acks: number[]; refusals: string[]; retries: string[] } {
  const log = { acks: [] as number[], refusals: [] as string[], retries: [] as string[] };
  return {
    ...log,
    acknowledged: (_at, accepted) => log.acks.push(accepted),
    refused: (count, code) => log.refusals.push(`${count} ${code}`),
    retrying: (code) => log.retries.push(code),
    queueChanged: () => {},
  };
}

async function filledQueue(count: number, owner = 'driver-1') {
  const queue = memoryFixQueue();
  for (let i = 0; i < count; i++) await queue.add(owner, VEHICLE, fixAt(i));
  return queue;
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('FixUploader', () => {
  it('replays the queue oldest first in batches, removing fixes only once acknowledged', async () => {
    const queue = await filledQueue(120);
    const server = new FakeServer();
    const log = events();
    const uploader = new FixUploader(queue, 'driver-1', server, log, 50);
    uploader.kick();
    await vi.waitFor(async () => expect(await queue.count('driver-1')).toBe(0));
    expect(server.batches).toEqual([50, 50, 20]);
    expect([...server.stored.keys()]).toEqual(Array.from({ length: 120 }, (_, i) => fixAt(i).timestamp));
    expect([...server.stored.values()].every((p) => p.vehicleId === VEHICLE)).toBe(true);
    expect(log.acks).toEqual([50, 50, 20]);
  });

  it('keeps everything while disconnected or unacknowledged, and resends the same fixes after', async () => {
    vi.useFakeTimers();
    try {
      const queue = await filledQueue(3);
      const server = new FakeServer();
      server.connected = false;
      const log = events();
      const uploader = new FixUploader(queue, 'driver-1', server, log);
      uploader.kick();
      await vi.advanceTimersByTimeAsync(10);
      expect(server.batches).toEqual([]);

      server.connected = true;
      server.answer = () => 'silence';
      uploader.resume();
      await vi.advanceTimersByTimeAsync(10);
      expect(await queue.count('driver-1')).toBe(3);
      expect(log.retries).toEqual(['UNAVAILABLE']);

      server.answer = () => ({ accepted: 0, rejected: [] });
      await vi.advanceTimersByTimeAsync(1000);
      expect(await queue.count('driver-1')).toBe(0);
      expect(server.batches).toEqual([3, 3]);
      expect(server.stored.size).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps fixes refused for now at the head of the queue, drops those refused for good', async () => {
    vi.useFakeTimers();
    try {
      const queue = await filledQueue(4);
      const server = new FakeServer();
      const log = events();
      server.answer = () => ({
        accepted: 2,
        rejected: [
          { index: 1, code: 'RATE_LIMITED', message: 'too fast' },
          { index: 3, code: 'VALIDATION_ERROR', message: 'lat: too big', field: 'lat' },
        ],
      });
      const uploader = new FixUploader(queue, 'driver-1', server, log);
      uploader.kick();
      await vi.advanceTimersByTimeAsync(10);
      expect((await queue.oldest('driver-1', 10)).map((q) => q.fix.timestamp)).toEqual([fixAt(1).timestamp]);
      expect(log.refusals).toEqual(['1 VALIDATION_ERROR']);
      expect(log.retries).toEqual(['RATE_LIMITED']);

      server.answer = () => ({ accepted: 1, rejected: [] });
      await vi.advanceTimersByTimeAsync(1000);
      expect(await queue.count('driver-1')).toBe(0);
      expect(server.stored.has(fixAt(1).timestamp)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends only the signed-in user’s fixes', async () => {
    const queue = await filledQueue(2, 'driver-1');
    await queue.add('driver-2', VEHICLE, fixAt(9));
    const server = new FakeServer();
    const uploader = new FixUploader(queue, 'driver-2', server, events());
    uploader.kick();
    await vi.waitFor(async () => expect(await queue.count('driver-2')).toBe(0));
    await settled();
    expect([...server.stored.keys()]).toEqual([fixAt(9).timestamp]);
    expect(await queue.count('driver-1')).toBe(2);
  });
});

describe('settle', () => {
  const batch = [1, 2, 3].map((seq) => ({ seq, owner: 'o', vehicleId: VEHICLE, fix: fixAt(seq) }));

  it('treats a refusal of the whole batch as retryable and removes nothing', () => {
    expect(settle(batch, { accepted: 0, rejected: [{ index: -1, code: 'VALIDATION_ERROR', message: 'too many' }] })).toEqual({
      done: [],
      accepted: 0,
      refused: null,
      retry: { code: 'VALIDATION_ERROR', message: 'too many' },
    });
  });

  it('drops fixes refused because reception is off (the company paused tracking)', () => {
    const result = settle(batch, { accepted: 0, rejected: [0, 1, 2].map((index) => ({ index, code: 'RECEPTION_DISABLED', message: 'off' })) });
    expect(result.done).toEqual([1, 2, 3]);
    expect(result.refused).toEqual({ count: 3, code: 'RECEPTION_DISABLED', message: 'off' });
    expect(result.retry).toBeNull();
  });
});
