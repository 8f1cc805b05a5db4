/**
 * Server memory per tracked vehicle: builds the per-vehicle state the server keeps in memory
 * (vehicle registry, live state for dashboards, rate-limit bucket, tenant fleet index) for N
 * vehicles that have reported, and measures the V8 heap before and after with forced GCs.
 *
 *   npm run bench:memory -- --vehicles 100000
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { VehicleRateLimiter } from '../../server/ingest/rate-limiter';
import { LiveState } from '../../server/realtime/live-state';
import { VehicleRegistry } from '../../server/vehicles/registry';
import type { Position } from '../../server/protocol/position';

const { values } = parseArgs({ options: { vehicles: { type: 'string', default: '100000' } } });
const n = Number(values.vehicles);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory does)');

function heap(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

// Inputs are made before the first measurement, so only what the server keeps is counted.
const tenants = Array.from({ length: 10 }, () => randomUUID());
const vehicles = Array.from({ length: n }, (_, i) => ({
  id: randomUUID(),
  tenantId: tenants[i % tenants.length]!,
  deviceId: `device-${i}`,
  deviceToken: randomBytes(24).toString('base64url'),
  name: `Van ${String(i).padStart(6, '0')}`,
  plate: `B-GF ${i}`,
}));
const now = Date.now();
const positions: Position[] = vehicles.map((v, i) => ({
  tenantId: v.tenantId, vehicleId: v.id, lat: 52.5 + i / 1e6, lng: 13.4 + i / 1e6, ts: now, speed: 42.5, heading: 90, accuracy: 5, altitude: null, battery: 80, attributes: null,
}));

const before = heap();
const registry = new VehicleRegistry();
const live = new LiveState();
const limiter = new VehicleRateLimiter();
for (const v of vehicles) {
  registry.set({ id: v.id, tenantId: v.tenantId, deviceId: v.deviceId, deviceToken: v.deviceToken, driverId: null, receptionEnabled: true, type: 'van', attributes: {} });
  live.upsert(v.tenantId, { id: v.id, name: v.name, plate: v.plate, type: 'van' });
}
live.apply(positions, now);
for (const p of positions) limiter.allow(p.vehicleId, p.ts, 1, now);
const after = heap();

const perVehicle = Math.round((after - before) / n);
const result = { date: new Date().toISOString(), vehicles: n, heapBytes: after - before, bytesPerVehicle: perVehicle, target: 1024, keep: [registry.size, live.size] };
console.log(`${n} tracked vehicles: ${((after - before) / 1e6).toFixed(1)} MB of heap, ${perVehicle} B per vehicle (target ≤ 1024 B)`);
mkdirSync('bench-results', { recursive: true });
const file = path.join('bench-results', `memory-${result.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(result, null, 2));
console.log(`written to ${file}`);
