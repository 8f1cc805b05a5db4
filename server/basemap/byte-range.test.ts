import { describe, expect, it } from 'vitest';
import { parseRange } from './byte-range';

describe('HTTP byte ranges', () => {
  it('answers the whole file without a usable Range', () => {
    expect(parseRange(null, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-5', 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=-', 100)).toEqual({ kind: 'full' });
  });

  it('closed, open-ended and suffix ranges, clamped to the file', () => {
    expect(parseRange('bytes=0-16383', 100_000)).toEqual({ kind: 'partial', start: 0, end: 16383 });
    expect(parseRange('bytes=0-16383', 127)).toEqual({ kind: 'partial', start: 0, end: 126 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
  });

  it('refuses ranges that start past the end or run backwards', () => {
    expect(parseRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=50-10', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
  });
});
