import { describe, expect, it } from 'vitest';
import type { FleetMetricsSnapshot } from '@/server/protocol/metrics';
import { activitySeries } from './activity-series';

const metrics = { ingestSeries: [1, 2, 3], seriesEnd: 1_000_000, seriesStepS: 10 } as FleetMetricsSnapshot;

describe('activitySeries', () => {
  it('places the ingest steps in time and counts alerts in the minute before each point', () => {
    const [xs, ingest, alerts] = activitySeries(metrics, [1_000_000, 995_000, 975_000, 900_000]);
    expect(xs).toEqual([980, 990, 1000]);
    expect(ingest).toEqual([1, 2, 3]);
    // 980 s: (920, 980] holds 975; 990: 975; 1000: 975, 995, 1000
    expect(alerts).toEqual([1, 1, 3]);
  });

  it('leaves alerts empty when the alert list is unavailable', () => {
    expect(activitySeries(metrics, null)[2]).toEqual([null, null, null]);
  });
});
