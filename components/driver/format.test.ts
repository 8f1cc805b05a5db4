import { describe, expect, it } from 'vitest';
import { accuracyLabel, ago } from './format';

describe('driver page formatting', () => {
  it('says how long ago, in the unit a driver reads at a glance', () => {
    const now = 1_800_000_000_000;
    expect(ago(now - 1000, now)).toBe('just now');
    expect(ago(now + 5000, now)).toBe('just now');
    expect(ago(now - 42_000, now)).toBe('42 s ago');
    expect(ago(now - 185_000, now)).toBe('3 min ago');
    expect(ago(now - 2 * 3_600_000 - 1, now)).toBe('2 h ago');
  });

  it('labels accuracy in meters, then kilometers', () => {
    expect(accuracyLabel(4.4)).toBe('±4 m');
    expect(accuracyLabel(999)).toBe('±999 m');
    expect(accuracyLabel(1234)).toBe('±1.2 km');
  });
});
