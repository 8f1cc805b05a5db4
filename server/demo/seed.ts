import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Prisma } from '../db/database';
import { addDrivingDays } from '../db/sql/driving';
import { insertGeofence } from '../db/sql/geofences';
import { storePositions } from '../db/sql/positions';
import { loadRoadSegments } from '../db/sql/road-graph';
import { insertRoute, setRouteVehicles } from '../db/sql/routes';
import { insertCompletedTrip } from '../db/sql/trips';
import type { Logger } from '../log';
import type { Role } from '../protocol/auth';
import { geofenceFeature } from '../protocol/geofences';
import { routeFeature } from '../protocol/routes';
import { hashPassword } from '../auth/password';
import { buildRoadGraph } from '../roads/graph/build';
import { snapToNetwork } from '../roads/graph/snap';
import { importRoadNetwork } from '../roads/import';
import { RoadRouter } from '../roads/routing/route';
import { planRoadFleet, RoadFleetSimulation, type Place, type RouteLine } from '../simulator/road-fleet';
import { tenantPlaces, tourPlans } from '../simulator/tenant-places';
import { newShareToken } from '../trips/service';
import { newDeviceToken } from '../vehicles/service';
import { demoDrivingDays } from './driving-history';
import { demoMovementHistory } from './movement-history';
import { writeDerived } from '../history/service';
import { CUSTOMER_RADIUS_M, CUSTOMERS, DEMO_ROUTES, DEPOT_RADIUS_M, DEPOTS, RESTRICTED_ZONES } from './baltimore';

export const DEMO_TENANT_SLUG = 'demo';
export const DEMO_TENANT_NAME = 'Demo Logistics Baltimore';
export const DEMO_VEHICLE_COUNT = 240;
/** The demo tenant's road network (OpenStreetMap, ODbL: data/osm/README.md). */
export const DEMO_NETWORK_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/osm/baltimore.osm.pbf');

/** Demo logins: also listed in README. */
export const DEMO_USERS: ReadonlyArray<{ email: string; password: string; name: string; role: Role }> = [
  { email: 'admin@demo.geofleet.dev', password: 'demo-admin', name: 'Ada Admin', role: 'admin' },
  { email: 'manager@demo.geofleet.dev', password: 'demo-manager', name: 'Max Manager', role: 'manager' },
  { email: 'driver@demo.geofleet.dev', password: 'demo-driver', name: 'Dana Driver', role: 'driver' },
  { email: 'viewer@demo.geofleet.dev', password: 'demo-viewer', name: 'Vic Viewer', role: 'viewer' },
];

const TYPES = ['van', 'van', 'van', 'truck', 'car', 'bus'] as const;

/**
 * Creates the demo tenant when the database has no tenant yet: its users and vehicles, its road
 * network (Baltimore, imported from data/osm), depots, customers and restricted zones as fences,
 * routes with assigned vehicles, a few finished trips, and every vehicle placed where the
 * simulator has it now (so the map is never empty). Returns true when it seeded.
 */
export async function seedDemoIfEmpty(prisma: Prisma, log: Logger, networkFile = DEMO_NETWORK_FILE): Promise<boolean> {
  if ((await prisma.tenant.count()) > 0) return false;
  const started = Date.now();
  const users = await Promise.all(
    DEMO_USERS.map(async (u) => ({ email: u.email, name: u.name, role: u.role, passwordHash: await hashPassword(u.password) })),
  );
  const tenant = await prisma.$transaction(async (tx) => {
    const created = await tx.tenant.create({
      data: { name: DEMO_TENANT_NAME, slug: DEMO_TENANT_SLUG, users: { create: users } },
      include: { users: true },
    });
    const driver = created.users.find((u) => u.role === 'driver');
    const vehicles = Array.from({ length: DEMO_VEHICLE_COUNT }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      const type = TYPES[i % TYPES.length]!;
      return {
        tenantId: created.id,
        name: `${type[0]!.toUpperCase()}${type.slice(1)} ${n}`,
        plate: `MD-GF ${1000 + i + 1}`,
        type,
        deviceId: `demo-${n}`,
        deviceToken: newDeviceToken(),
        driverId: i === 0 ? (driver?.id ?? null) : null,
        // A group per depot, so the map's group filter, group reports and group alert rules have something to show.
        groupName: DEPOTS[i % DEPOTS.length]!.name,
      };
    });
    await tx.vehicle.createMany({ data: vehicles });
    const ids = await tx.vehicle.findMany({ where: { tenantId: created.id }, select: { id: true } });
    await tx.vehicleState.createMany({ data: ids.map((v) => ({ vehicleId: v.id, tenantId: created.id })) });
    return created;
  }, { timeout: 60_000, maxWait: 30_000 }); // the embedded database on a busy machine can need more than Prisma's 5 s
  const vehicles = await prisma.vehicle.findMany({ where: { tenantId: tenant.id }, select: { id: true, driverId: true }, orderBy: { deviceId: 'asc' } });
  const admin = tenant.users.find((u) => u.role === 'admin')!;
  const driver = tenant.users.find((u) => u.role === 'driver')!;
  // Two weeks of driving behaviour behind today, so the scorecard has trends at first login.
  await addDrivingDays(prisma, demoDrivingDays(tenant.id, [{ kind: 'driver', id: driver.id }, ...vehicles.map((v) => ({ kind: 'vehicle' as const, id: v.id }))], Date.now()));
  // …and journeys and stops (reports, docs/reports.md), written as derived history is.
  await writeDerived(prisma, demoMovementHistory(tenant.id, vehicles, Date.now()), null);

  // The road network, and a routing graph of it for the seed's own routes.
  const t0 = Date.now();
  const { summary } = await importRoadNetwork(prisma, tenant.id, networkFile, { source: path.basename(networkFile) });
  const importMs = Date.now() - t0;
  const t1 = Date.now();
  const { graph } = buildRoadGraph(await loadRoadSegments(prisma, tenant.id));
  const router = new RoadRouter(graph);
  const graphMs = Date.now() - t1;
  const snap = (p: Place): Place => {
    const s = snapToNetwork(graph, p.lng, p.lat, 500);
    return s ? { name: p.name, lng: round7(s.lng), lat: round7(s.lat) } : p;
  };
  const route: RouteLine = async (points) => {
    const result = router.route(points.map((p, i) => ({ label: `p${i}`, lng: p.lng, lat: p.lat })), { optimize: 'time' });
    return result.ok ? result.route : null;
  };

  // Fences: depots and customers where they meet the road, and zones trucks keep out of.
  const depots = DEPOTS.map(snap);
  const customers = CUSTOMERS.map(snap);
  const fence = (feature: unknown) => {
    const f = geofenceFeature.parse(feature);
    return insertGeofence(prisma, tenant.id, f.geometry, f.properties);
  };
  for (const d of depots) {
    await fence({ type: 'Feature', geometry: { type: 'Point', coordinates: [d.lng, d.lat] }, properties: { name: d.name, type: 'DEPOT', radius: DEPOT_RADIUS_M, alertOnEntry: false, alertOnExit: false } });
  }
  for (const c of customers) {
    await fence({ type: 'Feature', geometry: { type: 'Point', coordinates: [c.lng, c.lat] }, properties: { name: c.name, type: 'CHECKPOINT', radius: CUSTOMER_RADIUS_M, alertOnEntry: false, alertOnExit: false } });
  }
  for (const z of RESTRICTED_ZONES) {
    await fence({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [z.ring] }, properties: { name: z.name, type: 'RESTRICTED_ZONE', alertOnEntry: true, alertOnExit: false } });
  }

  // Routes over the network, each driven by a few vehicles (not Van 001: the demo driver's phone reports it).
  const free = vehicles.filter((v) => !v.driverId).map((v) => v.id);
  let next = 0;
  const routeRows: Array<{ id: string; depot: Place; stops: Place[]; vehicleIds: string[]; lengthM: number }> = [];
  for (const r of DEMO_ROUTES) {
    const depot = depots[r.depot]!;
    const stops = r.customers.map((i) => customers[i]!);
    const line = await route([depot, ...stops, depot]);
    if (!line) {
      log.warn({ route: r.name }, 'demo seed: route not routable on the network, left out');
      continue;
    }
    const feature = routeFeature.parse({ type: 'Feature', geometry: line.geometry, properties: { name: r.name, color: r.color, attributes: { depot, stops } } });
    const row = await insertRoute(prisma, tenant.id, feature.geometry, feature.properties);
    const vehicleIds = free.slice(next, (next += r.vehicles));
    await setRouteVehicles(prisma, tenant.id, row.id, vehicleIds);
    routeRows.push({ id: row.id, depot, stops, vehicleIds, lengthM: line.properties.steps.reduce((m, step) => m + step.distanceM, 0) });
  }

  // A few trips the demo driver finished today: depot to a customer of a route.
  const now = Date.now();
  for (const [k, r] of routeRows.entries()) {
    const dropoff = r.stops[k % r.stops.length]!;
    const startedAt = new Date(now - (5 - k) * 3_600_000);
    await insertCompletedTrip(prisma, {
      tenantId: tenant.id,
      vehicleId: r.vehicleIds[0]!,
      driverId: driver.id,
      pickup: { lng: r.depot.lng, lat: r.depot.lat, label: r.depot.name },
      dropoff: { lng: dropoff.lng, lat: dropoff.lat, label: dropoff.name },
      routeId: r.id,
      shareToken: newShareToken(),
      createdBy: admin.id,
      startedAt,
      completedAt: new Date(startedAt.getTime() + 35 * 60_000),
      distanceM: Math.round(r.lengthM / 2),
    });
  }

  // Place every vehicle where the simulator would have it now, so the map is never empty.
  const places = tenantPlaces(
    [
      ...depots.map((d) => ({ geometry: { type: 'Point' as const, coordinates: [d.lng, d.lat] as [number, number] }, properties: { name: d.name, type: 'DEPOT' as const } })),
      ...customers.map((c) => ({ geometry: { type: 'Point' as const, coordinates: [c.lng, c.lat] as [number, number] }, properties: { name: c.name, type: 'CHECKPOINT' as const } })),
    ],
    routeRows.map((r, i) => ({ properties: { name: DEMO_ROUTES[i]!.name, attributes: { depot: r.depot, stops: r.stops }, vehicleIds: r.vehicleIds } })),
  );
  const fleet = await planRoadFleet(tourPlans(places), route);
  if (fleet) {
    const simulation = new RoadFleetSimulation(vehicles.map((v) => v.id), fleet);
    await storePositions(
      prisma,
      simulation.positionsAt(now).map((p) => ({
        tenantId: tenant.id,
        vehicleId: p.vehicleId,
        lat: p.lat,
        lng: p.lng,
        ts: now,
        speed: p.speed,
        heading: p.heading,
        accuracy: p.accuracy,
        altitude: null,
        battery: p.battery,
        attributes: p.attributes ?? null,
      })),
    );
  }
  log.info(
    {
      tenant: tenant.name,
      vehicles: DEMO_VEHICLE_COUNT,
      network: { segments: summary.segments, features: summary.features, addresses: summary.addresses, importMs, graphMs },
      fences: depots.length + customers.length + RESTRICTED_ZONES.length,
      routes: routeRows.length,
      ms: Date.now() - started,
      logins: DEMO_USERS.map((u) => `${u.role}: ${u.email} / ${u.password}`),
    },
    'seeded demo tenant',
  );
  return true;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
