import { LATENCY_SAMPLES, type VehicleStore } from '@/components/map/vehicle-store';

export interface LatencySummary {
  p50: number;
  p95: number;
  samples: number;
}

/**
 * Device → dashboard latency of the latest positions received (now − position time when the
 * frame is applied; same clock assumptions as the devices'), or null before any.
 */
export function latencySummary(store: VehicleStore, scratch: Float32Array): LatencySummary | null {
  const n = Math.min(store.latencyWrites, LATENCY_SAMPLES);
  if (n === 0) return null;
  const sorted = scratch.subarray(0, n);
  sorted.set(store.latencies.subarray(0, n));
  sorted.sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))]!;
  return { p50: at(0.5), p95: at(0.95), samples: n };
}
