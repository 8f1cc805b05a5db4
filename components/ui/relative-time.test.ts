import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time';

describe('relativeTime', () => {
  it('reads like a person would say it', () => {
    const now = 10_000_000;
    expect(relativeTime(now - 2_000, now)).toBe('just now');
    expect(relativeTime(now + 60_000, now)).toBe('just now');
    expect(relativeTime(now - 12_000, now)).toBe('12 s ago');
    expect(relativeTime(now - 5 * 60_000 - 59_000, now)).toBe('5 min ago');
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(relativeTime(now - 2 * 86_400_000, now)).toBe('2 d ago');
  });
});
