import { ApiError } from '../protocol/errors';
import { homeProblem, type HomeArea } from '../protocol/home-area';

type Point = { lng: number; lat: number };

/**
 * Refuses (VALIDATION_ERROR naming the field) the first of `points` that lies far outside the
 * tenant's home area; nothing is checked while no home area is set. Trips and dispatch requests
 * call this before they write anything.
 */
export function assertNearHome(area: HomeArea | null, points: Record<string, Point | null | undefined>): void {
  if (!area) return;
  for (const [field, point] of Object.entries(points)) {
    const problem = point ? homeProblem(area, point) : null;
    if (problem) throw new ApiError('VALIDATION_ERROR', `${field}: ${problem}`, field, { homeArea: area });
  }
}
