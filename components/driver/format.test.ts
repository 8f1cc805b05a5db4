import { describe, expect, it } from 'vitest';
import { accuracyLabel } from './format';

describe('driver page formatting', () => {
  it('labels accuracy in meters, then kilometers', () => {
    expect(accuracyLabel(4.4)).toBe('±4 m');
    expect(accuracyLabel(999)).toBe('±999 m');
    expect(accuracyLabel(1234)).toBe('±1.2 km');
  });
});
