import { BERLIN_PATHS } from '@/server/simulator/berlin-paths';

export const dynamic = 'force-static';

/** Major roads the offline basemap draws for context at city zoom (the demo fleet's streets). */
export function GET(): Response {
  return Response.json({
    type: 'FeatureCollection',
    features: BERLIN_PATHS.map((path) => ({
      type: 'Feature',
      properties: { name: path.name },
      geometry: { type: 'LineString', coordinates: path.loop ? [...path.points, path.points[0]] : path.points },
    })),
  });
}
