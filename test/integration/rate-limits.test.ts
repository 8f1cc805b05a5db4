import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { fetchJson } from './client';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';

/**
 * REST rate limits per principal, on a server of this file's own with small budgets: each
 * signed-in user has a budget of their own whatever their IP (dispatchers behind one office NAT
 * share none), and only requests without a valid token count against the IP.
 */
const PER_IP = 6;
const PER_USER = 10;
const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer(serverEnv(tempDir('rate-limits'), fresh?.url, { REST_RATE_LIMIT_PER_MIN: String(PER_IP), REST_RATE_LIMIT_PER_USER_PER_MIN: String(PER_USER) }));
});

afterAll(async () => {
  await server?.stop();
  await fresh?.drop();
});

const get = (path: string, token?: string) => fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** Statuses of `n` calls in a row. */
async function statuses(n: number, call: () => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call()).status);
  return out;
}

describe('REST rate limits per principal', () => {
  it('gives every signed-in user their own budget from the same IP; requests without a valid token share the IP budget', async () => {
    // Two logins (unauthenticated: they spend 2 of the IP budget).
    const manager = (await fetchJson(server.url, '/api/v1/auth/login', { body: { email: 'manager@demo.geofleet.dev', password: 'demo-manager' } })).token;
    const viewer = (await fetchJson(server.url, '/api/v1/auth/login', { body: { email: 'viewer@demo.geofleet.dev', password: 'demo-viewer' } })).token;
    expect(manager && viewer).toBeTruthy();

    // The manager alone: PER_USER requests pass (more than the IP budget), the next is refused.
    const first = await statuses(PER_USER + 1, () => get('/api/v1/auth/me', manager));
    expect(first.slice(0, PER_USER).every((s) => s === 200)).toBe(true);
    expect(first.at(-1)).toBe(429);
    const refused = await get('/api/v1/auth/me', manager);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // The viewer, same IP, is not affected by the manager's use.
    expect(await statuses(PER_USER, () => get('/api/v1/auth/me', viewer))).toEqual(Array(PER_USER).fill(200));

    // Without a token: the IP's budget (2 logins spent already), then 429.
    const anonymous = await statuses(PER_IP, () => get('/api/v1/tenant'));
    expect(anonymous.slice(0, PER_IP - 2)).toEqual(Array(PER_IP - 2).fill(401));
    expect(anonymous.slice(PER_IP - 2)).toEqual([429, 429]);

    // A forged token for the viewer's id does not spend the viewer's budget: it counts against the IP.
    const forged = await new SignJWT({ tid: 'x', role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('someone').sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
    expect((await get('/api/v1/auth/me', forged)).status).toBe(429);
  });
});
