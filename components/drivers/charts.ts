import type { EvidenceSample } from '@/server/protocol/driving';

/**
 * Pure geometry of the scorecard's small charts (SVG paths), so the components only draw.
 */

/**
 * An SVG polyline through the values (null: no driving that day, bridged), scaled into
 * width × height with `max` at the top; values under `min` sit on the bottom.
 */
export function sparklinePath(values: ReadonlyArray<number | null>, width: number, height: number, min = 0, max = 100): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let d = '';
  values.forEach((v, i) => {
    if (v === null) return;
    const y = height - ((Math.max(min, Math.min(max, v)) - min) / (max - min || 1)) * height;
    d += `${d ? 'L' : 'M'}${(i * step).toFixed(1)},${y.toFixed(1)}`;
  });
  return d;
}

/** Points of an evidence chart: speed (km/h) on one scale, g on another, over time. */
export function evidenceSeries(samples: readonly EvidenceSample[], width: number, height: number): { speed: string; g: Array<{ x: number; y: number; h: number; v: number }>; maxKmh: number; maxG: number } {
  if (samples.length === 0) return { speed: '', g: [], maxKmh: 0, maxG: 0 };
  const t0 = Date.parse(samples[0]!.at);
  const span = Math.max(1, Date.parse(samples[samples.length - 1]!.at) - t0);
  const maxKmh = Math.max(10, ...samples.map((s) => s.speedKmh ?? 0));
  const gOf = (s: EvidenceSample) => Math.max(Math.abs(s.longG ?? 0), s.latG ?? 0, s.imuG ?? 0);
  const maxG = Math.max(0.5, ...samples.map(gOf));
  const x = (s: EvidenceSample) => ((Date.parse(s.at) - t0) / span) * width;
  const speed = samples
    .filter((s) => s.speedKmh !== null)
    .map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s).toFixed(1)},${(height - (s.speedKmh! / maxKmh) * height).toFixed(1)}`)
    .join('');
  const g = samples.map((s) => {
    const v = gOf(s);
    const h = (v / maxG) * height;
    return { x: x(s), y: height - h, h, v };
  });
  return { speed, g, maxKmh, maxG };
}
