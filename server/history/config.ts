import type { Config } from '../config';
import type { SegmentOptions } from './segment';

/** The segmentation rules from the configuration (HISTORY_* variables). */
export function segmentOptionsOf(config: Pick<Config, 'HISTORY_STOP_MIN_MINUTES' | 'HISTORY_MOVING_KMH' | 'HISTORY_MIN_TRIP_M' | 'HISTORY_MAX_GAP_MINUTES'>): SegmentOptions {
  return {
    stopMinS: config.HISTORY_STOP_MIN_MINUTES * 60,
    movingKmh: config.HISTORY_MOVING_KMH,
    minTripM: config.HISTORY_MIN_TRIP_M,
    maxGapS: config.HISTORY_MAX_GAP_MINUTES * 60,
  };
}
