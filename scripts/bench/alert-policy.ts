/**
 * Alert policy benchmark (server/alerts/policy.ts): what judging alerts costs on their way from
 * the sources to the feed — tenant rules, quiet hours (time-zone clock), snoozes and flood
 * protection — per alert, against ALERT_POLICY=off (the same call returning its input).
 * Workload: `--tenants` tenants with a rule set of 6 rules, quiet hours and 5 snoozes each;
 * `--alerts` alerts in batches of 100 from `--vehicles` vehicles × 50 fences (a busy fleet: many
 * pairs repeat, so flood protection absorbs and sums up), one simulated second per batch.
 *
 *   npm run bench:alert-policy
 *   npm run bench:alert-policy -- --alerts 1000000 --vehicles 10000
 *
 * Prints a summary; writes bench-results/alert-policy-<ts>.json. Shared machine: noisy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AlertPolicy } from '../../server/alerts/policy';
import type { NewAlert } from '../../server/db/sql/alerts';
import { createLogger } from '../../server/log';
import type { AlertRuleSet } from '../../server/protocol/alert-rules';

const { values: args } = parseArgs({
  options: {
    alerts: { type: 'string', default: '500000' },
    vehicles: { type: 'string', default: '2000' },
    tenants: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
  },
});
const ALERTS = Number(args.alerts);
const VEHICLES = Number(args.vehicles);
const TENANTS = Number(args.tenants);
const ROUNDS = Number(args.rounds);
const BATCH = 100;
const T0 = Date.UTC(2026, 11, 7, 8);

const RULES: AlertRuleSet = {
  rules: [
    { type: 'geofence_violation', event: 'exit', fenceType: 'RESTRICTED_ZONE', enabled: false },
    { type: 'geofence_violation', fenceType: 'DEPOT', enabled: false },
    { type: 'geofence_violation', event: 'enter', severity: 'high', enabled: true },
    { type: 'speed_violation', severity: 'low', enabled: true },
    { type: 'low_battery', enabled: false },
    { type: 'driver_event', severity: 'medium', enabled: true },
  ],
  quietHours: { start: '22:00', end: '06:00', timeZone: 'Europe/Berlin', minSeverity: 'critical' },
  flood: { maxPerWindow: 2, windowMinutes: 5 },
};

/** A deterministic stream of alerts: geofence entries/exits (80 %) and speeding (20 %). */
function workload(): NewAlert[] {
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const types = ['DEPOT', 'RESTRICTED_ZONE', 'CHECKPOINT', 'CUSTOM'] as const;
  const out: NewAlert[] = new Array(ALERTS);
  for (let i = 0; i < ALERTS; i++) {
    const v = Math.floor(next() * VEHICLES);
    const tenantId = `t${v % TENANTS}`;
    if (next() < 0.8) {
      const f = Math.floor(next() * 50);
      out[i] = {
        tenantId,
        type: 'geofence_violation',
        severity: 'medium',
        message: `Van ${v} entered Zone ${f}`,
        vehicleId: `v${v}`,
        geofenceId: `${tenantId}-f${f}`,
        at: T0 + Math.floor(i / BATCH) * 1000,
        details: { event: next() < 0.5 ? 'enter' : 'exit', fenceName: `Zone ${f}`, fenceType: types[f % 4] },
      };
    } else {
      out[i] = { tenantId, type: 'speed_violation', severity: 'medium', message: `Van ${v} is speeding`, vehicleId: `v${v}`, at: T0 + Math.floor(i / BATCH) * 1000, details: {} };
    }
  }
  return out;
}

function policy(enabled: boolean): AlertPolicy {
  const p = new AlertPolicy(null as never, { events: null as never, log: createLogger('silent', false), nameOf: (id) => `Van ${id}`, groupOf: () => null, enabled });
  // What load() would read: every tenant's rules and snoozes (set through the same maps).
  const internals = p as unknown as { sets: Map<string, AlertRuleSet>; snoozes: Map<string, Array<{ geofenceId: string | null; type: string | null; untilMs: number }>> };
  for (let t = 0; t < TENANTS; t++) {
    internals.sets.set(`t${t}`, RULES);
    internals.snoozes.set(`t${t}`, [0, 1, 2, 3, 4].map((f) => ({ geofenceId: `t${t}-f${40 + f}`, type: null, untilMs: T0 + 3_600_000 })));
  }
  return p;
}

function run(enabled: boolean, alerts: NewAlert[]): { nsPerAlert: number; raised: number; counts: AlertPolicy['counts'] } {
  const p = policy(enabled);
  let raised = 0;
  const started = performance.now();
  for (let i = 0; i < alerts.length; i += BATCH) {
    const now = T0 + (i / BATCH) * 1000;
    raised += p.admit(alerts.slice(i, i + BATCH), now).length;
  }
  const ms = performance.now() - started;
  return { nsPerAlert: (ms * 1e6) / alerts.length, raised, counts: { ...p.counts } };
}

const alerts = workload();
const results: Record<'on' | 'off', number[]> = { on: [], off: [] };
let last: ReturnType<typeof run> | null = null;
for (let r = 0; r < ROUNDS; r++) {
  results.off.push(run(false, alerts).nsPerAlert);
  last = run(true, alerts);
  results.on.push(last.nsPerAlert);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = {
  alerts: ALERTS,
  vehicles: VEHICLES,
  tenants: TENANTS,
  rounds: ROUNDS,
  nsPerAlertOn: Math.round(median(results.on)),
  nsPerAlertOff: Math.round(median(results.off)),
  raised: last!.raised,
  counts: last!.counts,
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
};
console.log(`alert policy: ${ALERTS.toLocaleString()} alerts, ${VEHICLES} vehicles × 50 fences, ${TENANTS} tenants, median of ${ROUNDS} rounds`);
console.log(`  ALERT_POLICY=on : ${summary.nsPerAlertOn} ns per alert (raised ${summary.raised.toLocaleString()}; dropped by rules/snoozes ${summary.counts.dropped.toLocaleString()}, absorbed by flood protection ${summary.counts.absorbed.toLocaleString()})`);
console.log(`  ALERT_POLICY=off: ${summary.nsPerAlertOff} ns per alert`);
mkdirSync('bench-results', { recursive: true });
const file = `bench-results/alert-policy-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ summary, rounds: results }, null, 2));
console.log(`  → ${file}`);
