/**
 * What the e2e specs share: the demo users, signing in (login form or API), REST calls with a
 * bearer token, waiting for the pages' test hooks, collecting page errors, saving screenshots,
 * the driver's phone.
 */
import { mkdir } from 'node:fs/promises';
import {
  expect,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type PageScreenshotOptions,
  type TestInfo,
} from '@playwright/test';
import { CUSTOMERS, DEMO_ROUTES, DEPOTS } from '../server/demo/baltimore';
import type { GeofenceDto } from '../server/protocol/geofences';
import type { RouteDto } from '../server/protocol/routes';
import { FleetSimulation, type Simulation } from '../server/simulator/fleet-simulation';
import { remoteRoadFleet } from '../server/simulator/remote-fleet';
import { RoadFleetSimulation, type RoadFleet } from '../server/simulator/road-fleet';
// window.__geofleet (the live map's read-only hooks) is declared in components/map/test-hooks.ts.

export type Credentials = { email: string; password: string };

/** The demo tenant's users, one per role. */
export const USERS = {
  admin: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' },
  manager: { email: 'manager@demo.geofleet.dev', password: 'demo-manager' },
  viewer: { email: 'viewer@demo.geofleet.dev', password: 'demo-viewer' },
  driver: { email: 'driver@demo.geofleet.dev', password: 'demo-driver' },
} satisfies Record<string, Credentials>;
export type Role = keyof typeof USERS;

/** Where the login page sends each role. */
// The live map keeps its view in the query string (?at=…) once it has fitted the fleet.
const MAP_URL = /\/map(\?.*)?$/;
const LANDING: Record<Role, string | RegExp> = { admin: MAP_URL, manager: MAP_URL, viewer: MAP_URL, driver: '**/driver' };

/** Fills the login form and submits it; does not wait for where it leads (it may refuse). */
export async function submitLogin(page: Page, { email, password }: Credentials): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs a demo user in through the login form and waits for their landing page (/map, /driver). */
export async function signIn(page: Page, who: Role): Promise<void> {
  await submitLogin(page, USERS[who]);
  await page.waitForURL(LANDING[who]);
}

/** REST calls as one signed-in user: each request carries their bearer token. */
export type Api = {
  user: { id: string };
  get(path: string): Promise<APIResponse>;
  /** The body of a GET, parsed (the status is not checked). */
  json<T>(path: string): Promise<T>;
  post(path: string, data: unknown): Promise<APIResponse>;
  patch(path: string, data: unknown): Promise<APIResponse>;
  put(path: string, data: unknown): Promise<APIResponse>;
  delete(path: string): Promise<APIResponse>;
};

/** Signs a demo user in over the API (expecting 200) and returns REST calls made with their token. */
export async function apiAs(request: APIRequestContext, who: Role): Promise<Api> {
  const response = await request.post('/api/v1/auth/login', { data: USERS[who] });
  expect(response.status()).toBe(200);
  const { token, user } = (await response.json()) as { token: string; user: { id: string } };
  const headers = { authorization: `Bearer ${token}` };
  return {
    user,
    get: (path) => request.get(path, { headers }),
    json: async <T>(path: string) => (await (await request.get(path, { headers })).json()) as T,
    post: (path, data) => request.post(path, { headers, data }),
    patch: (path, data) => request.patch(path, { headers, data }),
    put: (path, data) => request.put(path, { headers, data }),
    delete: (path) => request.delete(path, { headers }),
  };
}

/**
 * Collects the page's uncaught exceptions and console errors into `errors` (a new list unless
 * one is given, so several pages can share it) and returns it: a journey expects it empty.
 */
export function collectErrors(page: Page, errors: string[] = []): string[] {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A failed load names only its reason ("net::ERR_…"); the location says which resource it was.
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url || page.url()})`);
  });
  return errors;
}

/** Waits until the live map's test hooks hold at least `atLeast` vehicles (the fleet snapshot is in). */
export async function waitForFleet(page: Page, { atLeast = 200, timeout = 90_000 } = {}): Promise<void> {
  await page.waitForFunction((min) => (window.__geofleet?.vehicleCount() ?? 0) >= min, atLeast, { timeout });
}

/** Expects the zone or route editor's map to be loaded (within `timeout`) and its live updates connected. */
export async function expectEditorLive(page: Page, { timeout }: { timeout?: number } = {}): Promise<void> {
  await expect(page.getByTestId('editor-map')).toHaveAttribute('data-ready', 'true', { timeout });
  await expect(page.getByTestId('editor-live-state')).toHaveText('Live');
}

/** The number a KPI or badge shows, from its digits only ('1,204' → 1204). */
export async function numberIn(locator: Locator): Promise<number> {
  return Number((await locator.innerText()).replace(/\D/g, ''));
}

/** Fills a trip form (the /trips form or a vehicle panel's) for the demo driver, a short hop in Mitte, and submits it. */
export async function submitDemoTrip(form: Locator): Promise<void> {
  await form.getByTestId('trip-driver').selectOption({ label: 'Dana Driver' });
  await form.getByTestId('pickup-latlng').fill('39.28, -76.59');
  await form.getByTestId('dropoff-latlng').fill('39.29, -76.58');
  await form.getByRole('button', { name: 'Create trip' }).click();
}

let demoFleet: Promise<RoadFleet | null> | null = null;

/**
 * The demo simulator's fleet as scripts/simulate.ts plans it at the server's start: tours on the
 * demo network between the seed's depots and customers, and the seed's routes (other journeys
 * may add fences and routes later, which the running simulator never saw: left out here).
 */
export async function demoSimulation(request: APIRequestContext, vehicleIds: string[]): Promise<Simulation> {
  demoFleet ??= (async () => {
    const admin = await apiAs(request, 'admin');
    const seeded = new Set([...DEPOTS, ...CUSTOMERS].map((p) => p.name));
    const routes = new Set(DEMO_ROUTES.map((r) => r.name));
    const remote = await remoteRoadFleet(async (path) => {
      const response = await admin.get(path);
      const body = (await response.json().catch(() => ({}))) as { geofences?: GeofenceDto[]; routes?: RouteDto[] };
      if (body.geofences) body.geofences = body.geofences.filter((f) => seeded.has(f.properties.name));
      if (body.routes) body.routes = body.routes.filter((r) => routes.has(r.properties.name));
      return { status: response.status(), body };
    });
    return remote.fleet;
  })();
  const fleet = await demoFleet;
  return fleet ? new RoadFleetSimulation(vehicleIds, fleet) : new FleetSimulation(vehicleIds);
}

/**
 * Whether the demo simulator (a pure function of time) keeps `vehicleId` moving for every second
 * of the next `seconds`: demo vehicles stand at customers and depots, and a journey that
 * measures a trip's distance needs one that does not.
 */
export async function simulatorKeepsMoving(request: APIRequestContext, vehicleId: string, seconds: number, from = Date.now()): Promise<boolean> {
  const simulation = await demoSimulation(request, [vehicleId]);
  for (let s = 0; s <= seconds; s++) if (simulation.positionsAt(from + s * 1000)[0]!.speed === 0) return false;
  return true;
}

const ARTIFACTS = 'test-results/artifacts';

type ScreenshotOptions = Pick<PageScreenshotOptions, 'fullPage' | 'clip'> & {
  /** Also attach the file to this test's report. */
  attachTo?: TestInfo;
};

/** Saves a screenshot of a page (or one element) as `${ARTIFACTS}/${name}.png`. */
export async function saveScreenshot(target: Page | Locator, name: string, { attachTo, ...options }: ScreenshotOptions = {}): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await ('goto' in target ? target.screenshot({ path, ...options }) : target.screenshot({ path }));
  if (attachTo) await attachTo.attach(name, { path, contentType: 'image/png' });
}

export type GeoPoint = { latitude: number; longitude: number };

/** A driver's phone: portrait, touch, the GPS emulated at `at` (±6 m), location allowed unless told not. */
export async function phoneContext(browser: Browser, testInfo: TestInfo, at: GeoPoint, { allowLocation = true } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    baseURL: testInfo.project.use.baseURL,
    geolocation: { ...at, accuracy: 6 },
    permissions: allowLocation ? ['geolocation'] : [],
  });
}
