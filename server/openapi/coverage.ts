import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exportedMethods, pathOfRouteFile, type HttpMethod, type RouteDoc } from './registry';

export interface RouteEndpoint {
  method: HttpMethod;
  path: string;
  file: string;
}

/** app/api/[...unmatched]: the structured 404 for paths no route serves, not an operation. */
export const FALLBACK_SEGMENT = '[...unmatched]';

/** Every method exported by every `route.ts` under `appDir/api` (the REST surface as it is). */
export function routeEndpoints(appDir: string): RouteEndpoint[] {
  const out: RouteEndpoint[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== FALLBACK_SEGMENT) walk(full);
      }
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
        const file = path.relative(appDir, full);
        for (const method of exportedMethods(readFileSync(full, 'utf8'))) out.push({ method, path: pathOfRouteFile(file), file });
      }
    }
  };
  walk(path.join(appDir, 'api'));
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/**
 * The contract check: routes that exist without a documented entry, and entries documenting
 * routes that do not exist. Both lists empty = the OpenAPI document covers the REST surface.
 */
export function checkCoverage(endpoints: readonly RouteEndpoint[], docs: readonly Pick<RouteDoc, 'method' | 'path'>[]) {
  const key = (e: { method: string; path: string }) => `${e.method} ${e.path}`;
  const documented = new Set(docs.map(key));
  const existing = new Set(endpoints.map(key));
  return {
    undocumented: endpoints.filter((e) => !documented.has(key(e))).map((e) => `${key(e)} (${e.file})`),
    stale: docs.filter((d) => !existing.has(key(d))).map(key),
  };
}
