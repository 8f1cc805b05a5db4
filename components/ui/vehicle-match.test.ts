import { describe, expect, it } from 'vitest';
import { matchesNameOrPlate } from './vehicle-match';

describe('matchesNameOrPlate', () => {
  const van = { name: 'Van 045', plate: 'MD-GF 1045' };
  it('matches name or plate, case-insensitive, ignoring surrounding space', () => {
    expect(matchesNameOrPlate(' van 04 ', van)).toBe(true);
    expect(matchesNameOrPlate('gf 10', van)).toBe(true);
    expect(matchesNameOrPlate('truck', van)).toBe(false);
  });
  it('empty text matches everything; a vehicle without a plate matches by name only', () => {
    expect(matchesNameOrPlate('  ', van)).toBe(true);
    expect(matchesNameOrPlate('md-', { name: 'Bike 1', plate: null })).toBe(false);
  });
});
