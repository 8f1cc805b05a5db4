import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type { Position } from '../protocol/position';
import { Batcher } from './batcher';
import { latestPerVehicle } from './persist';

const log = pino({ level: 'silent' });

function position(vehicleId: string, ts: number, lat = 52.5): Position {
  return { tenantId: 't', vehicleId, lat, lng: 13.4, ts, speed: null, heading: null, accuracy: null, altitude: null, battery: null, attributes: null };
}

function batcher(overrides: Partial<ConstructorParameters<typeof Batcher>[0]> = {}) {
  const written: Position[][] = [];
  const committed: Position[][] = [];
  const b = new Batcher({
    coalesceMs: 10,
    batchSize: 100,
    limit: 1000,
    persist: async (batch) => (written.push(batch), batch),
    committed: (batch) => void committed.push(batch),
    log,
    ...overrides,
  });
  return { b, written, committed };
}

describe('Batcher', () => {
  it('writes submissions of one tick in one batch and resolves them after the write', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const written: Position[][] = [];
    const { b } = batcher({ persist: async (batch) => { written.push(batch); await gate; return batch; } });
    let resolved = 0;
    const acks = [b.submit([position('a', 1)]), b.submit([position('b', 1), position('c', 1)])].map((p) => p.then(() => resolved++));
    await vi.waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]!.map((p) => p.vehicleId)).toEqual(['a', 'b', 'c']);
    expect(resolved).toBe(0); // not durable yet: no acknowledgement
    release();
    await Promise.all(acks);
    expect(resolved).toBe(2);
  });

  it('keeps failed batches at the head and retries until they are written, in order', async () => {
    let failures = 2;
    const written: string[] = [];
    const { b, committed } = batcher({
      persist: async (batch) => {
        if (failures-- > 0) throw new Error('database down');
        written.push(...batch.map((p) => p.vehicleId));
        return batch;
      },
    });
    await Promise.all([b.submit([position('a', 1)]), b.submit([position('b', 1)])]);
    await b.submit([position('c', 1)]);
    expect(written).toEqual(['a', 'b', 'c']);
    expect(committed.flat().map((p) => p.vehicleId)).toEqual(['a', 'b', 'c']);
    expect(b.depth).toBe(0);
  });

  it('refuses with UNAVAILABLE beyond its limit and accepts again once drained', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { b } = batcher({ limit: 3, persist: async (batch) => (await gate, batch) });
    const first = b.submit([position('a', 1), position('b', 1)]);
    await expect(b.submit([position('c', 1), position('d', 1)])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    release();
    await first;
    await expect(b.submit([position('c', 1), position('d', 1)])).resolves.toBeUndefined();
  });

  it('writes what gathered during a write right after it, as one batch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const written: string[][] = [];
    const { b } = batcher({ persist: async (batch) => { written.push(batch.map((p) => p.vehicleId)); if (written.length === 1) await gate; return batch; } });
    const first = b.submit([position('a', 1)]);
    await vi.waitFor(() => expect(written).toHaveLength(1));
    const later = [b.submit([position('b', 1)]), b.submit([position('c', 1)])];
    release();
    await Promise.all([first, ...later]);
    expect(written).toEqual([['a'], ['b', 'c']]);
  });

  it('flushes at once when a batch fills instead of waiting for the coalescing window', async () => {
    const { b, written } = batcher({ coalesceMs: 60_000, batchSize: 2 });
    await b.submit([position('a', 1), position('b', 1)]);
    expect(written).toHaveLength(1);
  });

  it('never splits one submission and never exceeds the batch size with several', async () => {
    const { b, written } = batcher({ batchSize: 3 });
    await Promise.all([b.submit([position('a', 1), position('b', 1)]), b.submit([position('c', 1), position('d', 1)]), b.submit([position('e', 1)])]);
    expect(written.map((batch) => batch.length)).toEqual([2, 3]);
  });

  it('drain writes what is queued and then refuses new work', async () => {
    const { b, written } = batcher({ coalesceMs: 60_000 });
    const pending = b.submit([position('a', 1)]);
    await b.drain(1000);
    await pending;
    expect(written.flat()).toHaveLength(1);
    await expect(b.submit([position('b', 1)])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('latestPerVehicle', () => {
  it('keeps the newest position of each vehicle by position time', () => {
    const latest = latestPerVehicle([position('a', 3, 1), position('a', 5, 2), position('b', 1), position('a', 4, 3)]);
    expect(latest.find((p) => p.vehicleId === 'a')!.lat).toBe(2);
    expect(latest).toHaveLength(2);
  });
});

describe('LanedBatcher', () => {
  it('writes lanes side by side, never the same vehicle in two concurrent writes, each vehicle in order', async () => {
    const { LanedBatcher } = await import('./lanes');
    const writes: Array<{ ids: string[] }> = [];
    const writing = new Set<string>();
    let overlaps = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const lanes = new LanedBatcher(3, {
      coalesceMs: 1,
      batchSize: 100,
      limit: 10_000,
      log,
      committed: () => undefined,
      persist: async (batch) => {
        const ids = new Set(batch.map((p) => p.vehicleId));
        for (const id of ids) if (writing.has(id)) overlaps++;
        ids.forEach((id) => writing.add(id));
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        ids.forEach((id) => writing.delete(id));
        writes.push({ ids: batch.map((p) => `${p.vehicleId}@${p.ts}`) });
        return batch;
      },
    });
    const vehicles = Array.from({ length: 30 }, (_, i) => `vehicle-${i}`);
    for (let t = 1; t <= 5; t++) await Promise.all([lanes.submit(vehicles.map((v) => position(v, t)))]);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(overlaps).toBe(0); // concurrent writes never shared a vehicle
    // and every vehicle's positions were written in time order
    for (const v of vehicles) {
      const seen = writes.flatMap((w) => w.ids.filter((id) => id.startsWith(`${v}@`)));
      expect(seen).toEqual([1, 2, 3, 4, 5].map((t) => `${v}@${t}`));
    }
    expect(lanes.depth).toBe(0);
  });
});
