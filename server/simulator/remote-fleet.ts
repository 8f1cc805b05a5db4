/**
 * Plans the road fleet against a running server through its public API, as scripts/simulate.ts
 * (and the e2e tests, to know where a vehicle will be) do: the tenant's fences and routes say
 * where to drive, GET /api/v1/routing/route routes each tour (one request per tour).
 */
import type { GeofenceDto } from '../protocol/geofences';
import type { RouteDto } from '../protocol/routes';
import type { RouteResponse } from '../protocol/routing';
import { planRoadFleet, type RoadFleet } from './road-fleet';
import { tenantPlaces, tourPlans } from './tenant-places';

/** GET a path of the server's API as the simulator's user; status and parsed JSON body. */
export type ApiGet = (path: string) => Promise<{ status: number; body: unknown }>;

export type RemoteFleet = { fleet: RoadFleet; tours: number } | { fleet: null; reason: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The tenant's road fleet, or why there is none (no road network, no depots and customers, no
 * tour routable). Waits while the server still builds the routing graph (UNAVAILABLE), up to
 * `waitMs`.
 */
export async function remoteRoadFleet(get: ApiGet, waitMs = 120_000): Promise<RemoteFleet> {
  const fences = (await get('/api/v1/geofences')).body as { geofences?: GeofenceDto[] };
  const routes = (await get('/api/v1/routes')).body as { routes?: RouteDto[] };
  const places = tenantPlaces(fences.geofences ?? [], routes.routes ?? []);
  const plans = tourPlans(places);
  if (plans.length === 0) return { fleet: null, reason: 'the tenant has no depots and customers (DEPOT and CHECKPOINT fences) nor routes with stops' };
  const deadline = Date.now() + waitMs;
  let noNetwork = false;
  const fleet = await planRoadFleet(plans, async (points) => {
    if (noNetwork) return null;
    const [from, ...rest] = points;
    const to = rest.pop()!;
    const q = new URLSearchParams({ from: `${from!.lng},${from!.lat}`, to: `${to.lng},${to.lat}` });
    if (rest.length > 0) q.set('via', rest.map((p) => `${p.lng},${p.lat}`).join(';'));
    for (;;) {
      const answer = await get(`/api/v1/routing/route?${q}`);
      if (answer.status === 200) return answer.body as RouteResponse;
      const reason = (answer.body as { error?: { details?: { reason?: string } } }).error?.details?.reason;
      if (answer.status === 503 && Date.now() < deadline) {
        await sleep(2000); // the routing graph is being built (each try costs a REST request)
        continue;
      }
      if (reason === 'NO_ROAD_NETWORK') noNetwork = true;
      return null;
    }
  });
  if (noNetwork) return { fleet: null, reason: 'the tenant has no road network' };
  if (!fleet) return { fleet: null, reason: 'no tour could be routed on the road network' };
  return { fleet, tours: fleet.tours.length };
}
