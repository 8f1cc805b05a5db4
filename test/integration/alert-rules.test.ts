import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertDto } from '../../server/protocol/alerts';
import { api, DEMO, login, waitUntil } from './client';
import { injected, TENANT_ROADLESS } from './context';

/**
 * Alert rules through the server, in the tenant without a road network (no other alert test
 * uses it, so changing its rules disturbs no one): defaults (restricted-zone exits do not alert),
 * flood protection, rules, snoozes and quiet hours, each with a vehicle of its own; validation,
 * roles and the audit trail. The flood summary at the end of a window is covered by the unit
 * tests (server/alerts/rules.test.ts): its window is minutes long.
 */
const suffix = Date.now().toString(36);
let admin: string;
let adminId: string;
let demoAdmin: string;
let viewer: string;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A 1 km square of its own.
const square = (lng: number) => [[[lng, 47.0], [lng + 0.014, 47.0], [lng + 0.014, 47.009], [lng, 47.009], [lng, 47.0]]];
const sent: Record<string, number> = {};

async function vehicle(name: string, groupName: string | null = null): Promise<{ id: string }> {
  const created = await api('/api/v1/vehicles', { token: admin, body: { name: `${name} ${suffix}`, deviceId: `rules-${name}-${suffix}`.replace(/\s/g, '-'), groupName } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.vehicle;
}

async function fence(name: string, lng: number, properties: Record<string, unknown> = {}): Promise<{ id: string }> {
  const created = await api('/api/v1/geofences', {
    token: admin,
    body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(lng) }, properties: { name: `${name} ${suffix}`, type: 'RESTRICTED_ZONE', ...properties } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.geofence;
}

/** Drives in and out of the square at `lng` `times` times (ending outside), a second per fix. */
async function crossings(v: { id: string }, lng: number, times: number): Promise<void> {
  const fixes = [];
  for (let i = 0; i < times; i++) fixes.push({ lng: lng - 0.01, lat: 47.0045 }, { lng: lng + 0.007, lat: 47.0045 });
  fixes.push({ lng: lng - 0.01, lat: 47.0045 });
  const t0 = Math.max(sent[v.id] ?? 0, Date.now() - 120_000);
  const body = fixes.map((f, i) => ({ vehicleId: v.id, ...f, timestamp: t0 + 1 + i * 1000, accuracy: 5 }));
  sent[v.id] = t0 + 1 + fixes.length * 1000;
  const result = await api('/api/v1/positions', { token: admin, body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

async function entries(v: { id: string }, expected: number): Promise<void> {
  await waitUntil(async () => {
    const page = (await api(`/api/v1/events?aggregateId=${v.id}&types=geofence.entered&limit=100`, { token: admin })).body;
    return page.events.length >= expected;
  }, `${expected} entries of ${v.id}`, 15_000);
  await pause(500); // their alerts (if any) are raised in the background right after
}

// Fence alerts only: the jumps in and out also raise driving alerts (harsh braking), not under test here.
const alertsOf = async (v: { id: string }): Promise<AlertDto[]> => (await api(`/api/v1/alerts?vehicleId=${v.id}&type=geofence_violation`, { token: admin })).body.alerts;

beforeAll(async () => {
  const me = await login(TENANT_ROADLESS.admin.email, TENANT_ROADLESS.admin.password);
  admin = me.token;
  adminId = me.user.id;
  demoAdmin = (await login(...DEMO.admin)).token;
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  const created = await api('/api/v1/users', { token: admin, body: { email: `viewer-${suffix}@inland.example`, name: 'Rules viewer', password: 'viewer-password-1', role: 'viewer' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  viewer = (await login(`viewer-${suffix}@inland.example`, 'viewer-password-1')).token;
});

describe('alert rules', () => {
  it('defaults: restricted-zone exits do not alert, and one vehicle in one zone raises at most 2 alerts per 5 min', async () => {
    const rules = await api('/api/v1/alert-rules', { token: viewer });
    expect(rules.status).toBe(200);
    expect(rules.body).toMatchObject({ enabled: true, rules: { rules: [{ type: 'geofence_violation', event: 'exit', fenceType: 'RESTRICTED_ZONE', enabled: false }], quietHours: null, flood: { maxPerWindow: 2, windowMinutes: 5 } } });

    const van = await vehicle('Flood van');
    await fence('Busy zone', 30.0);
    await crossings(van, 30.0, 5); // 5 entries, 5 exits
    await entries(van, 5);
    const alerts = await alertsOf(van);
    expect(alerts.map((a) => a.details.event)).toEqual(['enter', 'enter']);
  });

  it('bad rules are refused at their fields in plain language, and change nothing', async () => {
    const bad = await api('/api/v1/alert-rules', {
      token: admin,
      method: 'PUT',
      body: { rules: [], quietHours: { start: '7am', end: '06:00', timeZone: 'Europe/Berlin', minSeverity: 'high' }, flood: { maxPerWindow: 2, windowMinutes: 5 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'quietHours.start' });
    expect(bad.body.error.message).toContain('Enter a time as HH:MM');
    expect((await api('/api/v1/alert-rules', { token: admin })).body.rules.quietHours).toBeNull();
    expect((await api('/api/v1/alert-rules', { token: viewer, method: 'PUT', body: { rules: [], quietHours: null, flood: { maxPerWindow: 2, windowMinutes: 5 } } })).status).toBe(403);
  });

  it('a rule turns a fence type off or changes the severity; the change is audited', async () => {
    const saved = await api('/api/v1/alert-rules', {
      token: admin,
      method: 'PUT',
      body: {
        rules: [
          { type: 'geofence_violation', event: 'exit', fenceType: 'RESTRICTED_ZONE', enabled: false },
          { type: 'geofence_violation', fenceType: 'DEPOT', enabled: false },
          { type: 'geofence_violation', event: 'enter', fenceType: 'RESTRICTED_ZONE', enabled: true, severity: 'critical' },
        ],
        quietHours: null,
        flood: { maxPerWindow: 10, windowMinutes: 5 },
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const van = await vehicle('Rule van');
    await fence('Depot', 30.1, { type: 'DEPOT' });
    await fence('Apron', 30.2);
    await crossings(van, 30.1, 1);
    await crossings(van, 30.2, 1);
    await entries(van, 2);
    const alerts = await alertsOf(van);
    expect(alerts.map((a) => [a.details.fenceType, a.details.event, a.severity])).toEqual([['RESTRICTED_ZONE', 'enter', 'critical']]);
    const log = (await api('/api/v1/events?types=alert_rules.changed&limit=5', { token: admin })).body.events;
    expect(log[0]).toMatchObject({ type: 'alert_rules.changed', actor: { kind: 'user', id: adminId }, data: { changes: { rules: expect.any(Object), flood: expect.any(Object) } } });
    // the demo tenant's rules are its own
    expect((await api('/api/v1/alert-rules', { token: demoAdmin })).body.rules.flood.maxPerWindow).toBe(2);
  });

  it('a rule for a vehicle group silences only that group; a vehicle moved into it is silenced at once', async () => {
    const group = `Night shift ${suffix}`;
    const saved = await api('/api/v1/alert-rules', {
      token: admin,
      method: 'PUT',
      body: {
        rules: [
          { type: 'geofence_violation', event: 'exit', fenceType: 'RESTRICTED_ZONE', enabled: false },
          { type: 'geofence_violation', vehicleGroup: group, enabled: false },
        ],
        quietHours: null,
        flood: { maxPerWindow: 10, windowMinutes: 5 },
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const member = await vehicle('Group van', group);
    const outsider = await vehicle('Other van');
    await fence('Group zone', 30.25);
    await crossings(member, 30.25, 1);
    await crossings(outsider, 30.25, 1);
    await entries(member, 1);
    await entries(outsider, 1);
    expect(await alertsOf(member)).toEqual([]);
    expect((await alertsOf(outsider)).map((a) => a.details.event)).toEqual(['enter']);

    const moved = await api(`/api/v1/vehicles/${outsider.id}`, { token: admin, method: 'PATCH', body: { groupName: group } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await crossings(outsider, 30.25, 1);
    await entries(outsider, 2);
    expect(await alertsOf(outsider)).toHaveLength(1);
  });

  it('a snooze of a fence silences it until ended; other tenants and viewers cannot', async () => {
    const van = await vehicle('Snooze van');
    const zone = await fence('Snoozed', 30.3);
    expect((await api('/api/v1/alert-snoozes', { token: viewer, body: { geofenceId: zone.id, minutes: 30 } })).status).toBe(403);
    const foreign = await api('/api/v1/alert-snoozes', { token: demoAdmin, body: { geofenceId: zone.id, minutes: 30 } });
    expect(foreign.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'geofenceId' });
    const neither = await api('/api/v1/alert-snoozes', { token: admin, body: { minutes: 30 } });
    expect(neither.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'geofenceId' });

    const snoozed = await api('/api/v1/alert-snoozes', { token: admin, body: { geofenceId: zone.id, minutes: 30 } });
    expect(snoozed.status, JSON.stringify(snoozed.body)).toBe(201);
    expect((await api('/api/v1/alert-snoozes', { token: viewer })).body.snoozes.map((s: { id: string }) => s.id)).toContain(snoozed.body.snooze.id);
    await crossings(van, 30.3, 1);
    await entries(van, 1);
    expect(await alertsOf(van)).toEqual([]);

    expect((await api(`/api/v1/alert-snoozes/${snoozed.body.snooze.id}`, { token: admin, method: 'DELETE' })).status).toBe(204);
    await crossings(van, 30.3, 1);
    await entries(van, 2);
    expect((await alertsOf(van)).map((a) => a.details.event)).toEqual(['enter']);
    const log = (await api('/api/v1/events?types=alert_snooze.created,alert_snooze.deleted&order=asc&limit=10', { token: admin })).body.events;
    expect(log.map((e: { type: string }) => e.type)).toEqual(['alert_snooze.created', 'alert_snooze.deleted']);
  });

  it('in quiet hours alerts below the chosen severity are kept in the history, already read', async () => {
    const now = new Date();
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    const saved = await api('/api/v1/alert-rules', {
      token: admin,
      method: 'PUT',
      body: { rules: [{ type: 'geofence_violation', event: 'exit', enabled: false }], quietHours: { start: hh(now.getUTCHours() - 1), end: hh(now.getUTCHours() + 2), timeZone: 'UTC', minSeverity: 'critical' }, flood: { maxPerWindow: 10, windowMinutes: 5 } },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const van = await vehicle('Night van');
    await fence('Night zone', 30.4);
    await crossings(van, 30.4, 1);
    await entries(van, 1);
    const [alert] = await alertsOf(van);
    expect(alert).toMatchObject({ severity: 'high', details: { quietHours: true } });
    expect(alert!.readAt).not.toBeNull();
  });

  it('exports the filtered history as CSV with readable labels; a bad filter is a VALIDATION_ERROR', async () => {
    const van = await vehicle('Export van');
    await fence('Export zone', 30.5);
    await crossings(van, 30.5, 1);
    await entries(van, 1);
    const response = await fetch(`${injected('baseUrl')}/api/v1/alerts/export?vehicleId=${van.id}&type=geofence_violation`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="alerts-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('Raised at,Happened at,Type,Severity,Message,Vehicle')).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,Geofence,High,Export van ${suffix} entered Export zone ${suffix} (restricted zone),Export van ${suffix},${van.id},Export zone ${suffix},`);
    const bad = await api('/api/v1/alerts/export?severity=urgent', { token: viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'severity' });
  });
});
