import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTelemetry } from './metrics';
import { fakeSources } from './test-sources';

/**
 * The alert rules (deploy/prometheus) and the Grafana dashboard (deploy/grafana) name metrics by
 * hand: every name they use must be one /metrics serves, or the alert never fires and the panel
 * stays empty without anyone noticing.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const RULES = path.join(ROOT, 'deploy/prometheus/geofleet-rules.yml');
const DASHBOARD = path.join(ROOT, 'deploy/grafana/geofleet.json');

/** Metric names (ours, Node's, the process's) and recording rules (`geofleet:…`) a PromQL expression uses. */
function metricNamesIn(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:geofleet_|nodejs_|process_|geofleet:)[A-Za-z0-9_:]*/g) ?? [])];
}

/** What the registry exposes, histograms with their _bucket/_sum/_count series. */
async function servedNames(): Promise<Set<string>> {
  const telemetry = createTelemetry(fakeSources());
  const names = new Set<string>();
  for (const metric of await telemetry.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (['histogram', 'summary'].includes(String(metric.type))) for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}

function unknownNames(exprs: string[], known: Set<string>): string[] {
  return [...new Set(exprs.flatMap(metricNamesIn))].filter((name) => !known.has(name));
}

describe('deploy files name only metrics that exist', () => {
  const rules = parse(readFileSync(RULES, 'utf8')) as RuleFile;
  const ruleExprs = rules.groups.flatMap((g) => g.rules.map((r) => r.expr));
  const recorded = rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : [])));

  it('finds names in PromQL, so an unknown one is caught', async () => {
    expect(metricNamesIn('sum(rate(geofleet_positions_accepted_total{way="socket"}[5m])) / geofleet:x_ratio')).toEqual(['geofleet_positions_accepted_total', 'geofleet:x_ratio']);
    expect(unknownNames(['rate(geofleet_positions_acepted_total[5m])'], await servedNames())).toEqual(['geofleet_positions_acepted_total']);
  });

  it('alert rules: every metric is served, every recording rule used is defined', async () => {
    const known = new Set([...(await servedNames()), ...recorded]);
    expect(ruleExprs.length).toBeGreaterThan(10);
    expect(unknownNames(ruleExprs, known)).toEqual([]);
    const alerts = rules.groups.flatMap((g) => g.rules.filter((r) => r.alert).map((r) => r.alert));
    // The golden signals, each with a warning and a critical threshold.
    for (const signal of ['HttpLatency', 'ErrorRate', 'IngestQueueSaturated', 'OffRouteShare']) expect(alerts.filter((a) => a!.includes(signal)).length).toBeGreaterThanOrEqual(2);
  });

  it('Grafana dashboard: every panel query uses served metrics', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ type: string; targets?: Array<{ expr: string }> }> };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(20);
    expect(unknownNames(exprs, await servedNames())).toEqual([]);
  });

  it.runIf(existsSync('/usr/bin/promtool'))('promtool check rules passes', () => {
    const out = execFileSync('/usr/bin/promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
  });
});
