/**
 * Whether a vehicle's name or plate contains the typed text (case-insensitive; empty text matches
 * every vehicle). The filter of every vehicle list a person types into.
 */
export function matchesNameOrPlate(text: string, vehicle: { name: string; plate?: string | null }): boolean {
  const needle = text.trim().toLowerCase();
  return !needle || vehicle.name.toLowerCase().includes(needle) || (vehicle.plate ?? '').toLowerCase().includes(needle);
}
