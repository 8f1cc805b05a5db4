import { describe, expect, it } from 'vitest';
import { DeliveryWindow, following } from './window';

interface E {
  seq: number;
  aggregate: { type: string; id: string };
}

const ev = (seq: number, id: string, type = 'vehicle'): E => ({ seq, aggregate: { type, id } });
const seqs = (events: E[]) => events.map((e) => e.seq);

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('DeliveryWindow', () => {
  it('offers each aggregate\'s first event, lowest seq first, up to the limit', () => {
    const w = new DeliveryWindow<E>(10);
    w.add([ev(11, 'a'), ev(12, 'a'), ev(13, 'b'), ev(14, 'c'), ev(15, 'b'), ev(16, 'd')]);
    expect(seqs(w.take(2))).toEqual([11, 13]);
    expect(seqs(w.take(10))).toEqual([14, 16]);
    expect(w.take(10)).toEqual([]); // a and b are in flight; their next waits
    expect(w.inFlight).toBe(4);
    expect(w.undelivered).toBe(6);
  });

  it('offers an aggregate\'s next event only once the one before it is done', () => {
    const w = new DeliveryWindow<E>(0);
    const [a1, a2, b1] = [ev(1, 'a'), ev(2, 'a'), ev(3, 'b')];
    w.add([a1!, a2!, b1!]);
    expect(w.take(10)).toEqual([a1, b1]);
    w.done(b1!);
    expect(w.take(10)).toEqual([]);
    w.done(a1!);
    expect(w.take(10)).toEqual([a2]);
  });

  it('keeps aggregates of different types apart even with the same id', () => {
    const w = new DeliveryWindow<E>(0);
    w.add([ev(1, 'x', 'vehicle'), ev(2, 'x', 'geofence')]);
    expect(seqs(w.take(10))).toEqual([1, 2]);
  });

  it('moves the low-water mark only over done events, to the read position once all are', () => {
    const w = new DeliveryWindow<E>(100);
    expect(w.lowWater).toBe(100);
    const page = [ev(101, 'a'), ev(102, 'b'), ev(105, 'c')];
    w.add(page, 110); // the page ended at 110 (106–110 were of other types)
    expect(w.readSeq).toBe(110);
    expect(w.lowWater).toBe(100);
    const [a, b, c] = w.take(10);
    w.done(c!);
    w.done(b!);
    expect(w.lowWater).toBe(100); // 101 is still in flight
    w.done(a!);
    expect(w.lowWater).toBe(110);
    expect(w.undelivered).toBe(0);
  });

  it('refuses pages that overlap what was read, and dones of events not in flight', () => {
    const w = new DeliveryWindow<E>(5);
    expect(() => w.add([ev(5, 'a')])).toThrow(/not after 5/);
    const e = ev(6, 'a');
    w.add([e]);
    expect(() => w.done(e)).toThrow(/not in flight/);
    w.take(1);
    w.done(e);
    expect(() => w.done(e)).toThrow(/not in flight/);
  });

  it('random pages, limits and completion orders: order per aggregate, one in flight per aggregate, the mark never passes an undone event', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const aggregates = 1 + Math.floor(rnd() * 6);
      const w = new DeliveryWindow<E>(0);
      let seq = 0;
      let remainingPages = 1 + Math.floor(rnd() * 5);
      const done = new Set<number>();
      const inFlight: E[] = [];
      const lastTaken = new Map<string, number>();
      const all: E[] = [];
      let lastMark = 0;
      for (let step = 0; step < 10_000; step++) {
        const action = rnd();
        if (action < 0.2 && remainingPages > 0) {
          remainingPages--;
          const page: E[] = [];
          for (let n = Math.floor(rnd() * 8); n > 0; n--) {
            seq += 1 + Math.floor(rnd() * 2); // gaps: events of types not wanted
            page.push(ev(seq, `g${Math.floor(rnd() * aggregates)}`));
          }
          all.push(...page);
          w.add(page);
        } else if (action < 0.6) {
          for (const e of w.take(Math.floor(rnd() * 4))) {
            const key = e.aggregate.id;
            expect(inFlight.some((f) => f.aggregate.id === key), `seed ${seed}: two of ${key} in flight`).toBe(false);
            expect(e.seq, `seed ${seed}: ${key} out of order`).toBeGreaterThan(lastTaken.get(key) ?? 0);
            // Every earlier event of the aggregate is done.
            expect(all.filter((x) => x.aggregate.id === key && x.seq < e.seq).every((x) => done.has(x.seq)), `seed ${seed}`).toBe(true);
            lastTaken.set(key, e.seq);
            inFlight.push(e);
          }
        } else if (inFlight.length > 0) {
          const [e] = inFlight.splice(Math.floor(rnd() * inFlight.length), 1);
          w.done(e!);
          done.add(e!.seq);
        }
        const mark = w.lowWater;
        expect(mark, `seed ${seed}: the mark went back`).toBeGreaterThanOrEqual(lastMark);
        lastMark = mark;
        const firstUndone = all.find((e) => !done.has(e.seq));
        // Exactly the highest safe cursor: just below the first undone event, or everything read.
        expect(mark, `seed ${seed}`).toBe(firstUndone ? firstUndone.seq - 1 : w.readSeq);
        expect(w.inFlight).toBe(inFlight.length);
        expect(w.undelivered).toBe(all.length - done.size);
        if (remainingPages === 0 && inFlight.length === 0 && done.size === all.length) break;
      }
      expect(done.size, `seed ${seed}: everything delivered in the end`).toBe(all.length);
    }
  });

  it('keeps up with a long run (the passed prefix is dropped, the mark stays right)', () => {
    const w = new DeliveryWindow<E>(0);
    for (let page = 0; page < 20; page++) {
      w.add(Array.from({ length: 500 }, (_, i) => ev(page * 500 + i + 1, `v${i % 37}`)));
      for (let taken = w.take(16); taken.length > 0; taken = w.take(16)) for (const e of taken) w.done(e);
      expect(w.lowWater).toBe((page + 1) * 500);
    }
    expect(w.undelivered).toBe(0);
  });
});

describe('following', () => {
  const batch = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

  it('takes a batch that continues the log from the read position, leaving out what was read', () => {
    expect(following(10, batch(11, 12, 13))).toEqual(batch(11, 12, 13));
    expect(following(12, batch(11, 12, 13))).toEqual(batch(13));
    expect(following(13, batch(11, 12, 13))).toEqual([]);
  });

  it('refuses a batch after a gap, or with one inside', () => {
    expect(following(10, batch(12, 13))).toBeNull();
    expect(following(10, batch(11, 13))).toBeNull();
    expect(following(10, batch(11, 13, 12, 14))).toBeNull();
  });
});
