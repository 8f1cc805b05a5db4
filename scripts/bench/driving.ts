/**
 * Driving-behaviour benchmark (server/driving): detection cost per position on the ingest path
 * (the stage as server/index.ts runs it: detector + day usage + events), with and without the
 * phone's accelerometer, and detection quality on labelled synthetic drives (harsh brakes,
 * accelerations and corners and idling injected into realistic city tours with GPS noise) at 1 s
 * and 5 s sampling: precision and recall per event type.
 *
 *   npm run bench:driving
 *   npm run bench:driving -- --vehicles 2000 --drives 200
 *
 * Prints the table; writes bench-results/driving-<ts>.json. Times are on a shared machine: noisy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DrivingDetector, type Finding, type Usage } from '../../server/driving/detect';
import { DrivingStage } from '../../server/driving/stage';
import { rng, score, synthesizeDrive, type Label, type Manoeuvre } from '../../server/driving/synthetic';
import { THRESHOLD_PRESETS } from '../../server/protocol/driving';
import type { Position } from '../../server/protocol/position';

const { values: args } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '1000' },
    drives: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
  },
});
const VEHICLES = Number(args.vehicles);
const DRIVES = Number(args.drives);
const ROUNDS = Number(args.rounds);
const T0 = Date.UTC(2026, 11, 7, 8);
const VAN = THRESHOLD_PRESETS.van!;

/** A city tour with random harsh and gentle manoeuvres: what the labels are made of. */
function tour(seed: number): Manoeuvre[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r.next() * xs.length)]!;
  const plan: Manoeuvre[] = [{ do: 'speed', kmh: 40, s: 10 }];
  let kmh = 40;
  for (let i = 0; i < 14; i++) {
    plan.push({ do: 'cruise', s: 8 + r.next() * 25 });
    const what = pick(['hard-brake', 'brake', 'hard-turn', 'turn', 'hard-accel', 'accel', 'idle', 'cruise'] as const);
    if (what === 'hard-brake' || what === 'brake') {
      const to = Math.max(0, kmh - 30 - r.next() * 20);
      const g = what === 'hard-brake' ? 0.45 + r.next() * 0.3 : 0.08 + r.next() * 0.12;
      plan.push({ do: 'speed', kmh: to, s: (kmh - to) / 3.6 / (g * 9.80665) });
      kmh = to;
      if (kmh < 15) {
        plan.push({ do: 'wait', s: 2 + r.next() * 20 }, { do: 'speed', kmh: 35, s: 12 });
        kmh = 35;
      }
    } else if (what === 'hard-accel' || what === 'accel') {
      const to = Math.min(80, kmh + 20 + r.next() * 15);
      const g = what === 'hard-accel' ? 0.4 + r.next() * 0.15 : 0.06 + r.next() * 0.1;
      plan.push({ do: 'speed', kmh: to, s: (to - kmh) / 3.6 / (g * 9.80665) });
      kmh = to;
    } else if (what === 'hard-turn' || what === 'turn') {
      // Turns happen at city speeds: slow to 25–35 km/h first (gently).
      const at = 25 + r.next() * 10;
      if (kmh > at) plan.push({ do: 'speed', kmh: at, s: (kmh - at) / 3.6 / 1.2 });
      kmh = at;
      const deg = (r.next() < 0.5 ? -1 : 1) * (70 + r.next() * 40);
      const g = what === 'hard-turn' ? 0.45 + r.next() * 0.25 : 0.1 + r.next() * 0.12;
      plan.push({ do: 'turn', deg, s: ((Math.abs(deg) * Math.PI) / 180) * (at / 3.6) / (g * 9.80665) });
    } else if (what === 'idle') {
      plan.push({ do: 'speed', kmh: 0, s: kmh / 3.6 / 1.5 }, { do: 'wait', s: 320 + r.next() * 200 }, { do: 'speed', kmh: 30, s: 10 });
      kmh = 30;
    }
  }
  plan.push({ do: 'cruise', s: 20 });
  return plan;
}

function drives(intervalS: number, imu: boolean): Array<{ positions: Position[]; labels: Label[] }> {
  return Array.from({ length: DRIVES }, (_, i) =>
    synthesizeDrive(
      { tenantId: 't', vehicleId: `v${i}`, t0: T0, intervalS, imu, noise: { kmh: 1, deg: 2, m: 3 }, seed: i + 1, truth: { brakeG: VAN.brakeG, accelG: VAN.accelG, cornerG: VAN.cornerG, idleS: VAN.idleMinutes * 60 } },
      tour(i + 1),
    ),
  );
}

function quality(intervalS: number, imu: boolean) {
  const totals: Record<string, { tp: number; fp: number; fn: number }> = {};
  for (const d of drives(intervalS, imu)) {
    const detector = new DrivingDetector({ thresholdsOf: () => VAN, limitAt: () => null, vehicleLimitKmh: () => 120 });
    const findings: Finding[] = [];
    const usage: Usage = { distanceM: 0, drivingS: 0, speedingS: 0, idleS: 0 };
    for (const p of d.positions) detector.observe(p, findings, usage);
    for (const [k, v] of Object.entries(score(findings, d.labels, 2000 + intervalS * 1000))) {
      const t = (totals[k] ??= { tp: 0, fp: 0, fn: 0 });
      t.tp += v.tp;
      t.fp += v.fp;
      t.fn += v.fn;
    }
  }
  return Object.fromEntries(
    Object.entries(totals).map(([k, t]) => [k, { ...t, precision: t.tp + t.fp ? t.tp / (t.tp + t.fp) : 1, recall: t.tp + t.fn ? t.tp / (t.tp + t.fn) : 1 }]),
  );
}

/** ns per position through the stage, positions interleaved across VEHICLES as batches arrive. */
function cost(imu: boolean): { nsPerPosition: number[]; positions: number } {
  // One drive per vehicle at 1 s, cut to 300 positions each, interleaved into 500-position batches.
  const all = drives(1, imu).map((d) => d.positions.slice(0, 300));
  const perVehicle = Array.from({ length: VEHICLES }, (_, v) => all[v % all.length]!.map((p) => ({ ...p, vehicleId: `veh${v}` })));
  const stream: Position[] = [];
  for (let i = 0; i < 300; i++) for (const ps of perVehicle) if (ps[i]) stream.push(ps[i]!);
  const batches: Position[][] = [];
  for (let i = 0; i < stream.length; i += 500) batches.push(stream.slice(i, i + 500));
  const results: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const stage = new DrivingStage({ thresholdsOf: () => VAN, limitAt: () => null, vehicleLimitKmh: () => 50, driverOf: () => null });
    const start = performance.now();
    let events = 0;
    for (const b of batches) events += stage.observe(b).length;
    stage.take();
    const ns = ((performance.now() - start) * 1e6) / stream.length;
    if (round > 0) results.push(ns); // the first round warms up
    if (events < 0) console.log(events);
  }
  return { nsPerPosition: results, positions: stream.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const gpsCost = cost(false);
const imuCost = cost(true);
const q1 = quality(1, true);
const q1gps = quality(1, false);
const q5 = quality(5, true);

console.log(`\nDetection cost per position (${gpsCost.positions.toLocaleString()} positions of ${VEHICLES} vehicles, median of ${ROUNDS - 1} rounds):`);
console.log(`  GPS only:        ${(median(gpsCost.nsPerPosition) / 1000).toFixed(2)} µs`);
console.log(`  GPS + IMU:       ${(median(imuCost.nsPerPosition) / 1000).toFixed(2)} µs   (target ≤ 2 µs)`);
for (const [title, q] of [['1 s sampling, phone with IMU', q1], ['1 s sampling, GPS only', q1gps], ['5 s sampling, phone with IMU', q5]] as const) {
  console.log(`\nQuality on ${DRIVES} labelled synthetic drives, ${title} (noise σ: 1 km/h, 2°, 3 m):`);
  for (const [k, v] of Object.entries(q)) {
    console.log(`  ${k.padEnd(20)} precision ${(100 * v.precision).toFixed(1).padStart(5)} %  recall ${(100 * v.recall).toFixed(1).padStart(5)} %   (tp ${v.tp}, fp ${v.fp}, fn ${v.fn})`);
  }
}
mkdirSync('bench-results', { recursive: true });
const file = `bench-results/driving-${new Date().toISOString().replaceAll(':', '-')}.json`;
writeFileSync(
  file,
  JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, load: os.loadavg() }, vehicles: VEHICLES, drives: DRIVES, cost: { gps: gpsCost, imu: imuCost }, quality: { '1s-imu': q1, '1s-gps': q1gps, '5s-imu': q5 } }, null, 1),
);
console.log(`\nwrote ${file}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (shared machine: noisy)`);
