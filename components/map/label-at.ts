import { apiJson } from '@/components/ui/api-fetch';
import type { ReverseGeocodeResponse } from '@/server/protocol/geocode';

/**
 * A name for a point picked on a map: the nearest address or place the tenant's map knows, else
 * "Point <lat>, <lng>" (a fleet without imported addresses, or the search unreachable).
 */
export async function labelAt(at: { lng: number; lat: number }): Promise<string> {
  try {
    const here = await apiJson<ReverseGeocodeResponse>(`/api/v1/geocode/reverse?lng=${at.lng}&lat=${at.lat}`);
    if (here.label) return here.label;
  } catch {
    // No address search for this fleet: the point keeps its coordinates as its name.
  }
  return `Point ${at.lat.toFixed(5)}, ${at.lng.toFixed(5)}`;
}
