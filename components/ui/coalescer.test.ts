import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalescer } from './coalescer';

describe('coalescer', () => {
  afterEach(() => vi.useRealTimers());

  it('hands a lone item on at once', () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const c = coalescer<number>(100, (items) => batches.push(items));
    c.push(1);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(100);
    c.push(2);
    expect(batches).toEqual([[1], [2]]);
  });

  it('hands the rest of a burst on in one batch when the window closes, in arrival order', () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const c = coalescer<number>(100, (items) => batches.push(items));
    for (let i = 1; i <= 500; i++) c.push(i);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(99);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1], Array.from({ length: 499 }, (_, i) => i + 2)]);
    // That batch opened another window: the next item waits for it.
    c.push(501);
    expect(batches).toHaveLength(2);
    vi.advanceTimersByTime(100);
    expect(batches.at(-1)).toEqual([501]);
  });

  it('hands on what is pending at once when flushed, and nothing when there is nothing', () => {
    vi.useFakeTimers();
    const batches: string[][] = [];
    const c = coalescer<string>(100, (items) => batches.push(items));
    c.flush();
    c.push('a');
    c.push('b');
    c.push('c');
    c.flush();
    expect(batches).toEqual([['a'], ['b', 'c']]);
    vi.advanceTimersByTime(500);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('drops what is pending when cancelled', () => {
    vi.useFakeTimers();
    const batches: string[][] = [];
    const c = coalescer<string>(50, (items) => batches.push(items));
    c.push('a');
    c.push('b');
    c.cancel();
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([['a']]);
  });
});
