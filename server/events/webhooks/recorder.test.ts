import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryRecord } from '../../db/sql/webhooks';
import { DeliveryRecorder } from './recorder';

const at = new Date('2026-12-06T12:00:00Z');
const rec = (id: string, attempts = 1, status: DeliveryRecord['status'] = 'delivered'): DeliveryRecord => ({
  id,
  eventId: `e-${id}`,
  eventSeq: 1,
  eventType: 'alert.raised',
  status,
  attempts,
  responseStatus: status === 'delivered' ? 204 : 500,
  responseMs: 1,
  error: null,
  nextAttemptAt: null,
  createdAt: at,
  updatedAt: at,
});

function recorder(cursor = 10, write: (r: DeliveryRecord[], c: number | null) => Promise<void> = async () => {}) {
  const writes: Array<{ ids: string[]; attempts: number[]; cursor: number | null }> = [];
  const errors: unknown[] = [];
  const r = new DeliveryRecorder(cursor, {
    write: async (records, c) => {
      writes.push({ ids: records.map((x) => x.id), attempts: records.map((x) => x.attempts), cursor: c });
      await write(records, c);
    },
    intervalMs: 100,
    maxBatch: 3,
    onError: (e) => errors.push(e),
  });
  return { r, writes, errors };
}

afterEach(() => vi.useRealTimers());

describe('DeliveryRecorder', () => {
  it('batches outcomes and the cursor into one write after the interval, keeping the newest state per delivery', async () => {
    vi.useFakeTimers();
    const { r, writes } = recorder();
    r.record(rec('a', 1, 'pending'));
    r.advance(11);
    r.record(rec('a', 2));
    r.advance(12);
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(writes).toEqual([{ ids: ['a'], attempts: [2], cursor: 12 }]);
  });

  it('writes at once when a batch is full', async () => {
    const { r, writes } = recorder();
    r.record(rec('a'));
    r.record(rec('b'));
    r.record(rec('c'));
    await r.flush();
    expect(writes[0]!.ids).toEqual(['a', 'b', 'c']);
  });

  it('never writes a cursor that is not ahead of the stored one', async () => {
    const { r, writes } = recorder(10);
    r.advance(10);
    r.advance(9);
    await r.flush();
    expect(writes).toEqual([]);
    r.advance(15);
    r.advance(14);
    await r.flush();
    r.advance(15);
    await r.flush();
    expect(writes).toEqual([{ ids: [], attempts: [], cursor: 15 }]);
  });

  it('keeps what a failed write held and writes it later, unless a newer state replaced it', async () => {
    let fail = true;
    const { r, writes, errors } = recorder(0, async () => {
      if (fail) throw new Error('database down');
    });
    r.record(rec('a', 1, 'pending'));
    r.record(rec('b'));
    r.advance(5);
    await r.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    r.record(rec('a', 2));
    await r.flush();
    expect(writes.at(-1)).toEqual({ ids: ['a', 'b'], attempts: [2, 1], cursor: 5 });
  });

  it('runs one write at a time: a flush during a write waits for it, then writes what came since', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let active = 0;
    let most = 0;
    const { r, writes } = recorder(0, async () => {
      most = Math.max(most, ++active);
      if (writes.length === 1) await gate;
      active--;
    });
    r.record(rec('a'));
    const first = r.flush();
    r.record(rec('b'));
    r.advance(3);
    const second = r.flush();
    release();
    await Promise.all([first, second]);
    expect(most).toBe(1);
    expect(writes).toEqual([
      { ids: ['a'], attempts: [1], cursor: null },
      { ids: ['b'], attempts: [1], cursor: 3 },
    ]);
  });
});
