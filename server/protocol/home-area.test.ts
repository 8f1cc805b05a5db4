import { describe, expect, it } from 'vitest';
import { describeArea, HOME_MARGIN_M, homeArea, homeProblem, nearHome, type HomeArea } from './home-area';

// Baltimore's road network extent, roughly.
const BALTIMORE: HomeArea = [-76.72, 39.19, -76.52, 39.38];
const M_PER_DEG = 111_320;

describe('home area', () => {
  it('takes a point inside the box, and one within the margin around it', () => {
    expect(nearHome(BALTIMORE, -76.61, 39.29)).toBe(true);
    const justNorth = 39.38 + (HOME_MARGIN_M - 1_000) / M_PER_DEG;
    const tooFarNorth = 39.38 + (HOME_MARGIN_M + 1_000) / M_PER_DEG;
    expect(nearHome(BALTIMORE, -76.61, justNorth)).toBe(true);
    expect(nearHome(BALTIMORE, -76.61, tooFarNorth)).toBe(false);
    // 25 km east at 39.4° N is about 0.29° of longitude.
    expect(nearHome(BALTIMORE, -76.52 + 0.27, 39.3)).toBe(true);
    expect(nearHome(BALTIMORE, -76.52 + 0.31, 39.3)).toBe(false);
  });

  it('says where home is, and that latitude and longitude look swapped when the swapped point is home', () => {
    expect(homeProblem(BALTIMORE, { lng: -76.61, lat: 39.29 })).toBeNull();
    expect(homeProblem(null, { lng: 45, lat: 12 })).toBeNull();
    // "39.29, -76.61" (lat, lng) read as lng, lat: both are valid numbers, the point lands at 76.61° S, 39.29° E.
    const swapped = homeProblem(BALTIMORE, { lng: 39.29, lat: -76.61 });
    expect(swapped).toMatch(/outside the fleet's home area \(39\.19…39\.38° N, 76\.52…76\.72° W, with 25 km around it\): latitude and longitude look swapped$/);
    const elsewhere = homeProblem(BALTIMORE, { lng: 13.4, lat: 52.5 });
    expect(elsewhere).toMatch(/outside the fleet's home area/);
    expect(elsewhere).not.toMatch(/swapped/);
  });

  it('reads a box as people do, on either side of the equator and the prime meridian', () => {
    expect(describeArea(BALTIMORE)).toBe('39.19…39.38° N, 76.52…76.72° W');
    expect(describeArea([-0.5, -1.25, 0.5, 1])).toBe('1.25° S…1.00° N, 0.50° W…0.50° E');
    expect(describeArea([151.1, -34, 151.3, -33.8])).toBe('33.80…34.00° S, 151.10…151.30° E');
  });

  it('accepts a box west to east and south to north, and refuses the rest with a reason', () => {
    expect(homeArea.parse(BALTIMORE)).toEqual(BALTIMORE);
    const reasons = (v: unknown) => homeArea.safeParse(v).error?.issues.map((i) => i.message);
    expect(reasons([-76.52, 39.19, -76.72, 39.38])).toEqual([expect.stringMatching(/west must be west of east/)]);
    expect(reasons([-76.72, 39.38, -76.52, 39.19])).toEqual([expect.stringMatching(/south must be south of north/)]);
    expect(reasons([-76.72, 39.19, -76.52])).toBeDefined();
    expect(reasons([-200, 39.19, -76.52, 39.38])).toBeDefined();
  });
});
