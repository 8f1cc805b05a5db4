/**
 * Drives vehicles through the public ingestion interface (Socket.IO namespace /driver), as a
 * fleet of devices would. When the tenant has a road network, depots and customers (DEPOT and
 * CHECKPOINT fences) or routes with stops, vehicles drive routed tours on its streets
 * (server/simulator/road-fleet.ts, routed through GET /api/v1/routing/route); otherwise they
 * drive the old hand-drawn Berlin paths.
 *
 *   npm run simulate -- --vehicles 500 --rate 1 [--url http://localhost:3000]
 *                       [--email admin@demo.geofleet.dev --password demo-admin] [--duration 60]
 *
 * Signs in as an admin (or uses GEOFLEET_TOKEN), creates vehicles (device ids sim-…) when the
 * tenant has fewer than --vehicles of its own, and sends each vehicle's position --rate times per
 * second in acknowledged batches. It drives only the demo seed's vehicles (demo-…) and its own:
 * vehicles added by people, and vehicles with an assigned driver (the driver's phone reports
 * those), are left alone.
 */
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import type { LoginResponse } from '../server/protocol/auth';
import type { PositionsAck } from '../server/protocol/position';
import type { VehicleDto } from '../server/protocol/vehicles';
import { FleetSimulation, type Simulation } from '../server/simulator/fleet-simulation';
import { remoteRoadFleet } from '../server/simulator/remote-fleet';
import { RoadFleetSimulation } from '../server/simulator/road-fleet';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.GEOFLEET_URL ?? 'http://localhost:3000' },
    vehicles: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1' },
    email: { type: 'string', default: 'admin@demo.geofleet.dev' },
    password: { type: 'string', default: 'demo-admin' },
    duration: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

const url = values.url.replace(/\/$/, '');
const wanted = Number(values.vehicles);
const rate = Number(values.rate);
const BATCH = 1000;
const TICK_MS = 100;

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(1);
}
if (!Number.isInteger(wanted) || wanted < 1) fail('--vehicles must be a positive integer');
if (!(rate > 0)) fail('--rate must be a positive number (positions per second per vehicle)');

async function api<T>(path: string, token: string | null, init: RequestInit = {}): Promise<T> {
  let response: Response;
  for (;;) {
    response = await fetch(`${url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    if (response.status !== 429) break;
    // The server limits REST calls per client: creating many vehicles waits its turn.
    const wait = Number(response.headers.get('retry-after') ?? '1');
    if (!values.quiet) console.log(`simulate: rate limited, waiting ${wait} s`);
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!response.ok) fail(`${init.method ?? 'GET'} ${path} → ${response.status} ${body.error?.message ?? ''}`);
  return body;
}

/** Device ids of the vehicles the simulator drives: the demo seed's and those it created itself. */
const SIMULATED_DEVICE = /^(demo|sim)-/;

async function vehicleIds(token: string): Promise<string[]> {
  const { vehicles: all } = await api<{ vehicles: VehicleDto[] }>('/api/v1/vehicles', token);
  // A vehicle someone added to the tenant is theirs to report: the simulator never drives it.
  const vehicles = all.filter((v) => SIMULATED_DEVICE.test(v.deviceId));
  const ids = vehicles.map((v) => v.id);
  // A vehicle with a driver is reported by the driver's phone (the /driver page), not simulated.
  const withDriver = new Set(vehicles.filter((v) => v.driverId).map((v) => v.id));
  // Missing vehicles are created in bulk, up to 1000 per request.
  for (let from = ids.length; from < wanted; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, wanted - from) }, (_, k) => {
      const n = String(from + k + 1).padStart(6, '0');
      return { name: `Sim ${n}`, type: 'van', deviceId: `sim-${n}` };
    });
    const { vehicles: created } = await api<{ vehicles: VehicleDto[] }>('/api/v1/vehicles', token, { method: 'POST', body: JSON.stringify(batch) });
    ids.push(...created.map((v) => v.id));
  }
  return ids.slice(0, wanted).filter((id) => !withDriver.has(id));
}

/** Tours on the tenant's streets when it has a network and places; the Berlin paths otherwise. */
async function simulationFor(token: string, ids: string[]): Promise<Simulation> {
  const t0 = Date.now();
  const remote = await remoteRoadFleet(async (path) => {
    for (;;) {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status === 429) {
        await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? '1') * 1000));
        continue;
      }
      return { status: response.status, body: await response.json().catch(() => ({})) };
    }
  });
  if (!remote.fleet) {
    console.log(`simulate: ${remote.reason}: driving the built-in Berlin paths`);
    return new FleetSimulation(ids);
  }
  console.log(`simulate: ${remote.tours} tours on the tenant's road network (planned in ${Date.now() - t0} ms)`);
  return new RoadFleetSimulation(ids, remote.fleet);
}

async function main(): Promise<void> {
  const token =
    process.env.GEOFLEET_TOKEN ??
    (await api<LoginResponse>('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ email: values.email, password: values.password }) })).token;
  const ids = await vehicleIds(token);
  const simulation = await simulationFor(token, ids);
  const socket = io(`${url}/driver`, { auth: { token }, transports: ['websocket'] });
  socket.on('connect_error', (error) => console.error(`simulate: cannot connect: ${error.message}`));

  const stats = { sent: 0, accepted: 0, rejected: 0 };
  // Each tick sends the share of vehicles due in that tick, so load is smooth, not bursty.
  const perTick = (ids.length * rate * TICK_MS) / 1000;
  let cursor = 0;
  let carry = 0;
  const timer = setInterval(() => {
    if (!socket.connected) return;
    carry += perTick;
    let due = Math.floor(carry);
    carry -= due;
    const now = Date.now();
    while (due > 0) {
      const count = Math.min(due, BATCH, ids.length - cursor);
      const batch = simulation.slice(cursor, cursor + count, now);
      cursor = (cursor + count) % ids.length;
      due -= count;
      stats.sent += batch.length;
      socket.timeout(30_000).emit('positions', batch, (error: Error | null, ack?: PositionsAck) => {
        if (error || !ack) {
          stats.rejected += batch.length;
          return;
        }
        stats.accepted += ack.accepted;
        stats.rejected += ack.rejected.length;
      });
    }
  }, TICK_MS);

  const report = setInterval(() => {
    if (!values.quiet) console.log(`simulate: ${ids.length} vehicles, sent ${stats.sent}, accepted ${stats.accepted}, rejected ${stats.rejected}`);
  }, 10_000);
  const stop = () => {
    clearInterval(timer);
    clearInterval(report);
    socket.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  if (values.duration) setTimeout(stop, Number(values.duration) * 1000);
  console.log(`simulate: driving ${ids.length} vehicles at ${rate}/s each against ${url}`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
