import { describe, expect, it } from 'vitest';
import { needsResubscribe, subscriptionBox } from './subscription-area';

describe('viewport subscription area', () => {
  it('adds half the view on every side, clamped to the world', () => {
    expect(subscriptionBox([13, 52, 14, 53])).toEqual([12.5, 51.5, 14.5, 53.5]);
    expect(subscriptionBox([-179, 80, -170, 89])).toEqual([-180, 75.5, -165.5, 90]);
    expect(subscriptionBox([-150, -10, 150, 10])).toEqual([-180, -20, 180, 20]);
  });

  it('resubscribes when the view leaves the area or shrinks far inside it', () => {
    const area = subscriptionBox([13, 52, 14, 53]);
    expect(needsResubscribe(area, [13.2, 52.2, 14.2, 53.2])).toBe(false); // panned within the margin
    expect(needsResubscribe(area, [13.8, 52, 14.8, 53])).toBe(true); // past the east edge
    expect(needsResubscribe(area, [13.4, 52.4, 13.6, 52.6])).toBe(true); // zoomed in: 1/100 of the area
    expect(needsResubscribe(area, [13, 52, 14.5, 53])).toBe(false);
  });
});
