/** "52.5200, 13.4050" (latitude, longitude, as map apps copy them) → a point, or an error message. */
export function parseLatLng(text: string): { lat: number; lng: number } | string {
  const parts = text.split(/[,\s]+/).filter(Boolean).map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) return 'enter "latitude, longitude", e.g. 52.5200, 13.4050';
  const [lat, lng] = parts as [number, number];
  if (lat < -90 || lat > 90) return 'latitude must be between -90 and 90';
  if (lng < -180 || lng > 180) return 'longitude must be between -180 and 180';
  return { lat, lng };
}
