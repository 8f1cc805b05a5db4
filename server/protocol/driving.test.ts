import { describe, expect, it } from 'vitest';
import { drivingSettingsRequest } from './driving';

describe('PUT /api/v1/driving-settings body', () => {
  it('keeps what is given and defaults the rest', () => {
    expect(drivingSettingsRequest.parse({ weights: { idle: 2 } })).toEqual({ alertOn: ['harsh_brake', 'harsh_corner', 'possible_collision'], thresholds: {}, weights: { idle: 2 } });
  });

  it('refuses an empty object: it would reset every setting', () => {
    expect(drivingSettingsRequest.safeParse({}).error?.issues[0]?.message).toMatch(/must set alertOn, thresholds or weights/);
  });

  it('refuses unknown keys at every level, and what is not an object', () => {
    expect(drivingSettingsRequest.safeParse({ alertOn: ['idle'], colour: 'red' }).success).toBe(false);
    expect(drivingSettingsRequest.safeParse({ thresholds: { brakeG: 0.3, brakeg: 0.2 } }).error?.issues[0]?.path).toEqual(['thresholds']);
    expect(drivingSettingsRequest.safeParse({ weights: { idle: 1, idling: 1 } }).success).toBe(false);
    for (const body of [null, [], 'settings', 3]) expect(drivingSettingsRequest.safeParse(body).success).toBe(false);
  });
});
