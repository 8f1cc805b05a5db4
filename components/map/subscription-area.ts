/** [west, south, east, north] in degrees. */
export type BBox = [number, number, number, number];

/** The subscribed area reaches this fraction of the view's size beyond each edge. */
export const MARGIN = 0.5;
/** Zoomed in so far that the view is this much smaller than the subscribed area: narrow it. */
const SHRINK_RATIO = 16;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The area to subscribe to for a view: the view plus MARGIN on every side, within the world. */
export function subscriptionBox([w, s, e, n]: BBox): BBox {
  const dx = (e - w) * MARGIN, dy = (n - s) * MARGIN;
  if (e - w + 2 * dx >= 360) return [-180, clamp(s - dy, -90, 90), 180, clamp(n + dy, -90, 90)];
  return [clamp(w - dx, -180, 180), clamp(s - dy, -90, 90), clamp(e + dx, -180, 180), clamp(n + dy, -90, 90)];
}

/** Whether the view left the subscribed area, or became much smaller than it. */
export function needsResubscribe(subscribed: BBox, view: BBox): boolean {
  const [sw, ss, se, sn] = subscribed;
  const [w, s, e, n] = view;
  const inside = w >= sw && e <= se && s >= ss && n <= sn;
  const area = (b: BBox) => (b[2] - b[0]) * (b[3] - b[1]);
  return !inside || area(view) * SHRINK_RATIO < area(subscribed);
}
