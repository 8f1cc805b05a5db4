import type { Logger } from './log';

export interface BannerFacts {
  url: string;
  database: string;
  /** Where /metrics is served and who may read it; null when metrics are off. */
  metrics: string | null;
  osmand: string | null;
  /** Demo logins (role, email, password) when the demo tenant is seeded; else empty. */
  demoLogins: ReadonlyArray<{ role: string; email: string; password: string }>;
  ms: number;
}

/** The start-up banner as text for people (pretty logs): one fact per line, logins aligned. */
export function bannerText(facts: BannerFacts): string {
  const lines = [`GeoFleet listening on ${facts.url}  (started in ${(facts.ms / 1000).toFixed(1)} s)`, `  database  ${facts.database}`];
  if (facts.metrics) lines.push(`  metrics   ${facts.metrics}`);
  if (facts.osmand) lines.push(`  OsmAnd    ${facts.osmand}`);
  if (facts.demoLogins.length > 0) {
    lines.push('  demo logins:');
    const width = Math.max(...facts.demoLogins.map((l) => l.role.length));
    for (const l of facts.demoLogins) lines.push(`    ${l.role.padEnd(width)}  ${l.email}  /  ${l.password}`);
  }
  return lines.join('\n');
}

/**
 * Logs the banner: readable lines in pretty mode; one structured line otherwise (same facts as
 * fields). Both start with "GeoFleet listening on", which tests and benchmarks wait for.
 */
export function logBanner(log: Logger, facts: BannerFacts, pretty: boolean): void {
  if (pretty) log.info(bannerText(facts));
  else log.info({ url: facts.url, database: facts.database, metrics: facts.metrics, osmand: facts.osmand, demoLogins: facts.demoLogins.map((l) => `${l.role}: ${l.email} / ${l.password}`), ms: facts.ms }, `GeoFleet listening on ${facts.url}`);
}
