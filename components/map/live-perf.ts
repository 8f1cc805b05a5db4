/**
 * User Timing measures around the live-data path: `geofleet:apply` (a frame decoded into the
 * store) and `geofleet:frame` (glide + layer props in one animation frame). Recorded only when
 * `window.__geofleetMarks` is set (the map benchmark sets it), since the browser keeps every
 * measure until cleared.
 */
declare global {
  interface Window {
    __geofleetMarks?: boolean;
  }
}

export function recordSpan(kind: 'apply' | 'frame', start: number): void {
  if (window.__geofleetMarks) performance.measure(`geofleet:${kind}`, { start, end: performance.now() });
}
