/** 14:03:27 in the phone's time zone, 24-hour clock. */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** ±4 m, ±1.2 km */
export function accuracyLabel(meters: number): string {
  return meters < 1000 ? `±${Math.round(meters)} m` : `±${(meters / 1000).toFixed(1)} km`;
}
