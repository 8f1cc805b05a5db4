import { DOMParser } from '@xmldom/xmldom';
import { readSheet } from 'read-excel-file/node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FenceEventRow, ReplayChunk, ReportResponse, StopRow, SummaryRow, TripRow, VisitRow } from '../../server/protocol/reports';
import { api, DEMO, login, waitUntil, type ApiResult } from './client';
import { injected, TENANT_B } from './context';

/**
 * History, reports and replay end to end in tenant B: two vehicles' days (yesterday, UTC) sent as
 * stored history, derived into journeys, stops and a fence visit on commit, read back as reports
 * (JSON and the CSV, XLSX, GPX and KML files, each parsed by an independent parser), replayed in
 * chunks; roles and tenants kept apart; bad ranges refused with the field named.
 */
const suffix = Date.now().toString(36);
const DAY_MS = 86_400_000;
const YESTERDAY = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
const T0 = Date.parse(`${YESTERDAY}T08:00:00Z`);
const LAT = 39.29;
const M_PER_DEG_LNG = 86_220; // at 39.29° N, close enough to place fixes 10 s apart

let adminB: string;
let viewerB: string;
let driverB: string;
let adminDemo: string;
const ids: string[] = [];
let sent = 0;

/** Park, drive `a` metres, park, drive `b` metres, park: fixes every 10 s at 36 km/h. */
function day(lat: number, a: number, b: number) {
  const fixes: Array<{ lat: number; lng: number; timestamp: number; speed: number }> = [];
  let ts = T0;
  let lng = -76.6;
  const park = (s: number) => {
    for (let t = 0; t < s; t += 10) fixes.push({ lat, lng, timestamp: (ts += 10_000), speed: 0 });
  };
  const drive = (m: number) => {
    for (let d = 100; d <= m; d += 100) fixes.push({ lat, lng: (lng += 100 / M_PER_DEG_LNG), timestamp: (ts += 10_000), speed: 36 });
  };
  park(600);
  drive(a);
  park(900);
  drive(b);
  park(900);
  return fixes;
}

async function report<R>(name: string, query: string, token = adminB): Promise<ReportResponse<R>> {
  const result = await api(`/api/v1/reports/${name}?${query}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

async function file(name: string, query: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const response = await fetch(`${injected('baseUrl')}/api/v1/reports/${name}?${query}`, { headers: { authorization: `Bearer ${adminB}` } });
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A CSV parser for RFC 4180 (quotes, doubled quotes, CRLF) — enough to check our files independently of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

const range = `from=${YESTERDAY}&to=${YESTERDAY}`;
const mine = () => `vehicleIds=${ids.join(',')}`;
/** The van and an idle car are in this group; the truck is in none. */
const GROUP = `North ${suffix}`;
let idleInGroup: string;
let depotId: string;

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  adminDemo = (await login(...DEMO.admin)).token;
  for (const role of ['viewer', 'driver'] as const) {
    const email = `reports-${role}-${suffix}@rival.example`;
    const created = await api('/api/v1/users', { token: adminB, body: { email, name: `Reports ${role}`, password: `${role}-password-1`, role } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const token = (await login(email, `${role}-password-1`)).token;
    if (role === 'viewer') viewerB = token;
    else driverB = token;
  }
  // A fence around where the first van parks after its first journey.
  const fence = await api('/api/v1/geofences', {
    token: adminB,
    body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[-76.548, 39.285], [-76.536, 39.285], [-76.536, 39.295], [-76.548, 39.295], [-76.548, 39.285]]] }, properties: { name: `Depot ${suffix}`, type: 'DEPOT' } },
  });
  expect(fence.status, JSON.stringify(fence.body)).toBe(201);
  depotId = fence.body.geofence.id;
  const plans = [
    { name: `Report Van ${suffix}`, type: 'van', groupName: GROUP, fixes: day(LAT, 5000, 3000) },
    { name: `Report Truck ${suffix}`, type: 'truck', groupName: null, fixes: day(LAT + 0.05, 4000, 2000) },
  ];
  const idle = await api('/api/v1/vehicles', { token: adminB, body: { name: `Report Idle ${suffix}`, type: 'car', groupName: GROUP, deviceId: `reports-idle-${suffix}` } });
  expect(idle.status, JSON.stringify(idle.body)).toBe(201);
  idleInGroup = idle.body.vehicle.id;
  for (const [i, plan] of plans.entries()) {
    const created = await api('/api/v1/vehicles', { token: adminB, body: { name: plan.name, type: plan.type, groupName: plan.groupName, deviceId: `reports-${i}-${suffix}` } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.vehicle.id as string;
    ids.push(id);
    const ack = await api('/api/v1/positions', { token: adminB, body: plan.fixes.map((f) => ({ ...f, vehicleId: id })) });
    expect([200, 202], JSON.stringify(ack.body)).toContain(ack.status);
    expect(ack.body.rejected).toEqual([]);
    sent += plan.fixes.length;
  }
  await waitUntil(async () => (await report<TripRow>('trips', `${range}&${mine()}`)).rows.length >= 4, 'four journeys derived', 30_000, 250);
});

describe('journeys, stops and the summary', () => {
  it('each vehicle made two journeys of the distances it drove, with times and speeds', async () => {
    const trips = await report<TripRow>('trips', `${range}&${mine()}`);
    expect(trips.rows).toHaveLength(4);
    const km = (id: string) => trips.rows.filter((t) => t.vehicleId === id).map((t) => Math.round(t.distanceM / 100) / 10);
    expect(km(ids[0]!)).toEqual([5, 3]);
    expect(km(ids[1]!)).toEqual([4, 2]);
    for (const t of trips.rows) {
      expect(t.maxSpeedKmh).toBe(36);
      expect(t.avgSpeedKmh).toBeGreaterThan(33);
      expect(t.idleS).toBe(0);
      expect(Date.parse(t.endAt) - Date.parse(t.startAt)).toBe(t.durationS * 1000);
      expect(t.vehicleName).toMatch(/^Report (Van|Truck)/);
    }
    expect(trips.totals.distanceM).toBeCloseTo(14_000, -2);
  });

  it('stops sit between the journeys and last as long as the vehicle stood', async () => {
    const stops = await report<StopRow>('stops', `${range}&vehicleIds=${ids[0]}`);
    // The morning stop and the one between the journeys; the last one is still under way.
    expect(stops.rows.map((s) => Math.round(s.durationS / 60))).toEqual([10, 15]);
  });

  it("the summary's totals are the sum of the vehicles' journeys", async () => {
    const [summary, trips] = await Promise.all([report<SummaryRow>('summary', `${range}&${mine()}`), report<TripRow>('trips', `${range}&${mine()}`)]);
    expect(summary.rows).toHaveLength(2);
    for (const row of summary.rows) {
      const own = trips.rows.filter((t) => t.vehicleId === row.id);
      expect(row.trips).toBe(own.length);
      expect(row.distanceM).toBeCloseTo(own.reduce((s, t) => s + t.distanceM, 0), 0);
      expect(row.drivingS).toBeCloseTo(own.reduce((s, t) => s + t.drivingS, 0), -1);
    }
    expect(summary.totals.distanceM).toBeCloseTo(trips.totals.distanceM!, 0);
    expect(summary.totals.trips).toBe(4);
    expect(summary.days).toEqual([expect.objectContaining({ day: YESTERDAY, trips: 4 })]);
    // All four set off in the 08:00 UTC hour.
    expect(summary.hours).toHaveLength(24);
    expect(summary.hours!.filter((h) => h.trips > 0)).toEqual([expect.objectContaining({ hour: 8, trips: 4 })]);
    expect(summary.empty).toBeNull();
  });

  it('the vehicle type filter picks the truck', async () => {
    const trips = await report<TripRow>('trips', `${range}&${mine()}&vehicleType=truck`);
    expect(new Set(trips.rows.map((t) => t.vehicleId))).toEqual(new Set([ids[1]]));
  });

  it('the group filter keeps its vehicles: the van\'s journeys, and a summary row for every vehicle of the group, idle ones too', async () => {
    const group = `vehicleGroup=${encodeURIComponent(GROUP)}`;
    const trips = await report<TripRow>('trips', `${range}&${group}`);
    expect(trips.rows.map((t) => t.vehicleId)).toEqual([ids[0], ids[0]]);
    const summary = await report<SummaryRow>('summary', `${range}&${group}`);
    expect(new Map(summary.rows.map((r) => [r.id, r.trips]))).toEqual(new Map([[ids[0]!, 2], [idleInGroup, 0]]));
    // With vehicles named too, both filters hold: the truck is not in the group.
    expect((await report<TripRow>('trips', `${range}&${group}&vehicleIds=${ids[1]}`)).rows).toEqual([]);
    const tooLong = await api(`/api/v1/reports/trips?${range}&vehicleGroup=${'x'.repeat(61)}`, { token: adminB });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'vehicleGroup' });
  });

  it('the van visited the depot fence: arrival, departure and dwell', async () => {
    const visits = await waitUntil(async () => {
      const r = await report<VisitRow>('geofence-visits', `${range}&${mine()}`);
      return r.rows.length > 0 && r.rows[0]!.departedAt !== null && r.rows;
    }, 'a completed visit', 30_000, 250);
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ vehicleId: ids[0], geofenceName: `Depot ${suffix}` });
    // Arrived near the end of the first journey, left early in the second: about the 15 min stop.
    expect(visits[0]!.dwellS!).toBeGreaterThan(15 * 60);
    expect(visits[0]!.dwellS!).toBeLessThan(20 * 60);
  });
});

describe('the summary per vehicle group (groupBy=group)', () => {
  /** A second group with a bus that drives; the van and the idle car are in GROUP, the truck in none. */
  const SOUTH = `South ${suffix}`;
  let busId: string;
  const all = () => `vehicleIds=${[...ids, idleInGroup, busId].join(',')}`;
  const groupOf = (id: string) => new Map<string, string>([[ids[0]!, GROUP], [idleInGroup, GROUP], [ids[1]!, ''], [busId, SOUTH]]).get(id);

  beforeAll(async () => {
    const created = await api('/api/v1/vehicles', { token: adminB, body: { name: `Report Bus ${suffix}`, type: 'bus', groupName: SOUTH, deviceId: `reports-bus-${suffix}` } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    busId = created.body.vehicle.id;
    const ack = await api('/api/v1/positions', { token: adminB, body: day(LAT + 0.1, 3000, 1000).map((f) => ({ ...f, vehicleId: busId })) });
    expect([200, 202], JSON.stringify(ack.body)).toContain(ack.status);
    expect(ack.body.rejected).toEqual([]);
    await waitUntil(async () => (await report<TripRow>('trips', `${range}&vehicleIds=${busId}`)).rows.length >= 2, "the bus's two journeys derived", 30_000, 250);
  });

  it('one row per group and a last "No group" row, each the sum of its vehicles in the per-vehicle summary', async () => {
    const [byGroup, byVehicle] = await Promise.all([report<SummaryRow>('summary', `${range}&${all()}&groupBy=group`), report<SummaryRow>('summary', `${range}&${all()}`)]);
    expect(byGroup.rows.map((r) => [r.id, r.name])).toEqual([[GROUP, GROUP], [SOUTH, SOUTH], ['', 'No group']]);
    expect(byVehicle.rows).toHaveLength(4);
    for (const row of byGroup.rows) {
      const own = byVehicle.rows.filter((v) => groupOf(v.id) === row.id);
      const sum = (k: keyof SummaryRow) => own.reduce((s, v) => s + (v[k] as number), 0);
      expect(own.length, row.name).toBe(row.id === GROUP ? 2 : 1);
      for (const k of ['trips', 'stops', 'visits', 'alerts', 'drivingEvents'] as const) expect(row[k], `${row.name} ${k}`).toBe(sum(k));
      // Each vehicle's row is rounded on its own (0.1 m, 1 s): a group's sum differs by at most that.
      expect(row.distanceM).toBeCloseTo(sum('distanceM'), 0);
      for (const k of ['drivingS', 'idleS', 'stoppedS'] as const) expect(Math.abs(row[k] - sum(k)), `${row.name} ${k}`).toBeLessThanOrEqual(own.length);
      expect(row.maxSpeedKmh).toBe(Math.max(...own.map((v) => v.maxSpeedKmh)));
      expect(row.avgSpeedKmh).toBeCloseTo(row.drivingS > 0 ? (row.distanceM / row.drivingS) * 3.6 : 0, 0);
    }
    expect(byGroup.rows.map((r) => r.trips)).toEqual([2, 2, 2]);
    expect(byGroup.empty).toBeNull();
  });

  it('the totals are the sum of the group rows and the same as the per-vehicle summary, with the same chart and heat', async () => {
    const [byGroup, byVehicle] = await Promise.all([report<SummaryRow>('summary', `${range}&${all()}&groupBy=group`), report<SummaryRow>('summary', `${range}&${all()}`)]);
    const sum = (k: keyof SummaryRow) => byGroup.rows.reduce((s, r) => s + (r[k] as number), 0);
    for (const k of ['trips', 'drivingS', 'idleS', 'stops', 'stoppedS', 'visits', 'alerts', 'drivingEvents'] as const) expect(byGroup.totals[k], k).toBe(sum(k));
    expect(byGroup.totals.distanceM).toBeCloseTo(sum('distanceM'), 1);
    expect(byGroup.totals.maxSpeedKmh).toBe(Math.max(...byGroup.rows.map((r) => r.maxSpeedKmh)));
    expect(byGroup.totals.rows).toBe(3);
    expect(byGroup.totals.trips).toBe(6);
    expect(byGroup.totals.trips).toBe(byVehicle.totals.trips);
    expect(byGroup.totals.distanceM).toBeCloseTo(byVehicle.totals.distanceM!, 0);
    expect(byGroup.days).toEqual([expect.objectContaining({ day: YESTERDAY, trips: 6 })]);
    expect(byGroup.days).toEqual(byVehicle.days);
    expect(byGroup.hours).toEqual(byVehicle.hours);
    expect(byGroup.hours!.filter((h) => h.trips > 0)).toEqual([expect.objectContaining({ hour: 8, trips: 6 })]);
  });

  it('with vehicleGroup there is just that group\'s row (its idle car counted); a group with nothing to report is listed with zeros', async () => {
    const group = `vehicleGroup=${encodeURIComponent(GROUP)}`;
    const [one, vehicles] = await Promise.all([report<SummaryRow>('summary', `${range}&${group}&groupBy=group`), report<SummaryRow>('summary', `${range}&${group}`)]);
    expect(one.rows.map((r) => [r.id, r.name, r.trips])).toEqual([[GROUP, GROUP, 2]]);
    expect(vehicles.rows.map((r) => r.id).sort()).toEqual([ids[0]!, idleInGroup].sort());
    expect(one.totals.trips).toBe(vehicles.totals.trips);
    expect(one.totals.distanceM).toBeCloseTo(vehicles.totals.distanceM!, 0);
    expect(one.days).toEqual(vehicles.days);
    expect(one.hours).toEqual(vehicles.hours);
    const idle = await report<SummaryRow>('summary', `${range}&${group}&vehicleIds=${idleInGroup}&groupBy=group`);
    expect(idle.rows).toEqual([expect.objectContaining({ id: GROUP, name: GROUP, trips: 0, distanceM: 0, drivingS: 0, maxSpeedKmh: 0, avgSpeedKmh: 0 })]);
    expect(idle.days).toEqual([]);
    expect(idle.empty).toBe('No vehicle moved in this period.');
  });

  it('the whole fleet: every group once, "No group" last, the same journeys as the per-vehicle summary', async () => {
    const [byGroup, byVehicle] = await Promise.all([report<SummaryRow>('summary', `${range}&groupBy=group`), report<SummaryRow>('summary', range)]);
    const keys = byGroup.rows.map((r) => r.id);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining([GROUP, SOUTH, '']));
    expect(keys[keys.length - 1]).toBe('');
    expect(byGroup.rows[keys.length - 1]!.name).toBe('No group');
    expect(byGroup.totals.trips).toBe(byVehicle.totals.trips);
    // Vehicle rows are rounded to 0.1 m each, group rows once.
    expect(Math.abs(byGroup.totals.distanceM! - byVehicle.totals.distanceM!)).toBeLessThanOrEqual(0.05 * (byVehicle.rows.length + byGroup.rows.length) + 0.01);
    // Another tenant has none of these groups.
    const other = await report<SummaryRow>('summary', `${range}&groupBy=group`, adminDemo);
    expect(other.rows.map((r) => r.id)).not.toContain(GROUP);
    expect(other.rows.map((r) => r.id)).not.toContain(SOUTH);
  });

  it('files say "Group" over the names: CSV with the rows and their total, XLSX; a groupBy that is not one is refused naming the three', async () => {
    const csv = await file('summary', `${range}&${all()}&groupBy=group&format=csv`);
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
    expect(rows[0]![0]).toBe('Group');
    expect(rows.slice(1).map((r) => r[0])).toEqual([GROUP, SOUTH, 'No group', 'Total']);
    const journeys = rows[0]!.indexOf('Journeys');
    expect(rows.slice(1, -1).reduce((s, r) => s + Number(r[journeys]), 0)).toBe(Number(rows[rows.length - 1]![journeys]));
    const xlsx = await readSheet((await file('summary', `${range}&${all()}&groupBy=group&format=xlsx`)).bytes);
    expect(xlsx[0]![0]).toBe('Group');
    expect(xlsx.slice(1).map((r) => r[0])).toEqual([GROUP, SOUTH, 'No group', 'Total']);
    const bad = await api(`/api/v1/reports/summary?${range}&groupBy=depot`, { token: adminB });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'groupBy', message: expect.stringMatching(/vehicle, driver or group/) });
  });
});

describe('fence events', () => {
  it("list the van's entry and exit at the depot in time order, narrow to one kind, export as CSV, and refuse a kind that is not one", async () => {
    const at = `${range}&geofenceIds=${depotId}`;
    const events = await waitUntil(async () => {
      const r = await report<FenceEventRow>('geofence-events', at);
      return r.rows.length >= 2 && r.rows;
    }, 'the entry and the exit', 30_000, 250);
    expect(events.map((e) => [e.event, e.vehicleId, e.geofenceName])).toEqual([
      ['enter', ids[0], `Depot ${suffix}`],
      ['exit', ids[0], `Depot ${suffix}`],
    ]);
    const inside = (Date.parse(events[1]!.at) - Date.parse(events[0]!.at)) / 60_000;
    expect(inside).toBeGreaterThan(15);
    expect(inside).toBeLessThan(20);
    expect((await report<FenceEventRow>('geofence-events', `${at}&types=exit`)).rows.map((e) => e.event)).toEqual(['exit']);
    // The truck never came near: its filter leaves nothing, and says so.
    const none = await report<FenceEventRow>('geofence-events', `${at}&vehicleIds=${ids[1]}`);
    expect(none).toMatchObject({ rows: [], empty: 'No fence entries or exits in this period.' });

    const csv = await file('geofence-events', `${at}&format=csv`);
    expect(csv.status).toBe(200);
    const lines = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
    const event = lines[0]!.indexOf('Event');
    expect(lines.slice(1).filter((l) => l.length > 1).map((l) => l[event])).toEqual(['Entry', 'Exit']);

    const bad = await api(`/api/v1/reports/geofence-events?${at}&types=enter,teleport`, { token: adminB });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'types', message: expect.stringMatching(/teleport is not a fence event/) });
  });
});

describe('files, read by independent parsers', () => {
  it('CSV: one line per journey, distances adding up to the total', async () => {
    const trips = await report<TripRow>('trips', `${range}&${mine()}`);
    const csv = await file('trips', `${range}&${mine()}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.disposition).toMatch(/attachment; filename="geofleet-trips-.*\.csv"/);
    const rows = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
    const header = rows[0]!;
    expect(header).toContain('Distance (km)');
    const col = header.indexOf('Distance (km)');
    expect(rows.slice(1)).toHaveLength(4);
    expect(rows.slice(1).reduce((s, r) => s + Number(r[col]), 0)).toBeCloseTo(trips.totals.distanceM! / 1000, 2);
  });

  it('XLSX (summary): a workbook with a row per vehicle and a total equal to their sum', async () => {
    const xlsx = await file('summary', `${range}&${mine()}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const rows = await readSheet(xlsx.bytes);
    expect(rows[0]).toEqual(expect.arrayContaining(['Vehicle', 'Journeys', 'Distance (km)']));
    const col = rows[0]!.indexOf('Distance (km)');
    const body = rows.slice(1);
    expect(body).toHaveLength(3);
    const total = body.find((r) => r[0] === 'Total')!;
    const vehicles = body.filter((r) => r[0] !== 'Total');
    expect(vehicles.reduce((s, r) => s + (r[col] as number), 0)).toBeCloseTo(total[col] as number, 2);
    expect(total[col]).toBeCloseTo(14, 0);
  });

  it('XLSX (trips): dates are dates, the same journeys as JSON', async () => {
    const rows = await readSheet((await file('trips', `${range}&${mine()}&format=xlsx`)).bytes);
    expect(rows).toHaveLength(5);
    expect(rows[1]![rows[0]!.indexOf('Start (UTC)')]).toBeInstanceOf(Date);
  });

  it('PDF (summary): printed on the server by headless Chromium, one landscape page', async () => {
    const pdf = await file('summary', `${range}&${mine()}&format=pdf`);
    expect(pdf.status, pdf.bytes.toString('utf8').slice(0, 300)).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.disposition).toMatch(/filename="geofleet-summary-.*\.pdf"/);
    const text = pdf.bytes.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text.match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
    // A4 landscape: 842 × 595 points (Chromium writes 841.92 × 594.96).
    expect(text).toMatch(/\/MediaBox\s*\[\s*0 0 84[12](\.\d+)? 59[45](\.\d+)?\s*\]/);
  });

  it('GPX: a track per journey with its positions in time order', async () => {
    const gpx = await file('trips', `${range}&vehicleIds=${ids[0]}&format=gpx`);
    expect(gpx.status).toBe(200);
    const doc = new DOMParser().parseFromString(gpx.bytes.toString('utf8'), 'text/xml');
    const tracks = doc.getElementsByTagName('trk');
    expect(tracks.length).toBe(2);
    const points = tracks[0]!.getElementsByTagName('trkpt');
    expect(points.length).toBe(52); // the fix before motion, 50 moving ones and the one where it came to rest
    const times = Array.from({ length: points.length }, (_, i) => Date.parse(points[i]!.getElementsByTagName('time')[0]!.textContent!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Number(points[0]!.getAttribute('lat'))).toBeCloseTo(LAT, 5);
  });

  it('KML: a placemark with a line per journey', async () => {
    const kml = await file('trips', `${range}&${mine()}&format=kml`);
    const doc = new DOMParser().parseFromString(kml.bytes.toString('utf8'), 'text/xml');
    const placemarks = doc.getElementsByTagName('Placemark');
    expect(placemarks.length).toBe(4);
    const coords = placemarks[0]!.getElementsByTagName('coordinates')[0]!.textContent!.trim().split(/\s+/);
    expect(coords.length).toBeGreaterThan(20);
    // The van drove at LAT, the truck 0.05° north (placemarks come in start order, then by vehicle).
    const lat = coords[0]!.split(',').map(Number)[1]!;
    expect([LAT, LAT + 0.05].some((l) => Math.abs(lat - l) < 1e-3)).toBe(true);
  });
});

describe('replay', () => {
  it('loads every position of two vehicles in chunks, in time order, with the stops', async () => {
    const seen: number[] = [];
    let after: number | null = null;
    let chunks = 0;
    let stops = 0;
    do {
      const result: ApiResult<ReplayChunk> = await api<ReplayChunk>(`/api/v1/replay?vehicleIds=${ids.join(',')}&${range}&limit=100${after !== null ? `&after=${after}` : ''}`, { token: viewerB });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body.vehicles.map((v) => v.id)).toEqual(ids);
      seen.push(...result.body.t);
      if (chunks === 0) {
        stops = result.body.stops.length;
        // The van's entry into and exit from the depot fence, where they happened.
        const fence = result.body.events.filter((e) => e.type.startsWith('geofence.'));
        expect(fence.map((e) => [e.vehicleId, e.type])).toEqual([[ids[0], 'geofence.entered'], [ids[0], 'geofence.exited']]);
        expect(fence[0]!.label).toBe(`Entered Depot ${suffix}`);
        expect(fence[0]!.lng).toBeGreaterThan(-76.549);
      } else expect(result.body.events).toEqual([]);
      after = result.body.next;
      chunks++;
    } while (after !== null && chunks < 100);
    expect(seen).toHaveLength(sent);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(chunks).toBeGreaterThan(4);
    expect(stops).toBe(4);
  });

  it('marks the alerts raised about a vehicle where it was when each was raised', async () => {
    const made = await api('/api/v1/vehicles', { token: adminB, body: { name: `Speeder ${suffix}`, deviceId: `speeder-${suffix}`, attributes: { speedLimitKmh: 20 } } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.vehicle.id as string;
    const t = Date.parse(`${YESTERDAY}T12:00:00Z`);
    // 15 km/h, then 50 (over its 20 km/h limit: one speeding alert), then 15 again.
    const fixes = [15, 15, 50, 50, 15].map((speed, i) => ({ vehicleId: id, lat: LAT + 0.02, lng: -76.6 + i * 0.001, timestamp: t + i * 10_000, speed }));
    expect((await api('/api/v1/positions', { token: adminB, body: fixes })).status).toBeLessThan(300);
    const chunk = await waitUntil(async () => {
      const r = await api<ReplayChunk>(`/api/v1/replay?vehicleIds=${id}&${range}`, { token: viewerB });
      return r.body.events?.some((e) => e.type === 'alert.raised') ? r.body : null;
    }, 'the speeding alert in the replay', 15_000, 250);
    const alerts = chunk.events.filter((e) => e.type === 'alert.raised');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ vehicleId: id, at: new Date(t + 20_000).toISOString(), lng: fixes[2]!.lng, lat: fixes[2]!.lat });
    expect(alerts[0]!.label).toMatch(/^Alert \(medium\): Speeder .* is speeding: 50 km\/h/);
    // Another tenant replaying its own vehicle never sees this one's alerts.
    expect((await api(`/api/v1/replay?vehicleIds=${id}&${range}`, { token: adminDemo })).status).toBe(404);
  });

  it('more than 20 vehicles, or none of the tenant, is refused', async () => {
    const many = Array.from({ length: 21 }, () => ids[0]).join(',');
    expect((await api(`/api/v1/replay?vehicleIds=${many}&${range}`, { token: adminB })).body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'vehicleIds' });
    expect((await api(`/api/v1/replay?vehicleIds=${ids[0]}&${range}`, { token: adminDemo })).body.error).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('who may read what', () => {
  it('a viewer reads reports; a driver is refused', async () => {
    expect((await report<TripRow>('trips', `${range}&${mine()}`, viewerB)).rows).toHaveLength(4);
    const refused = await api(`/api/v1/reports/summary?${range}`, { token: driverB });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });

  it("another tenant never sees these vehicles, even when it names them", async () => {
    const trips = await report<TripRow>('trips', `${range}&${mine()}`, adminDemo);
    expect(trips.rows).toEqual([]);
    const summary = await report<SummaryRow>('summary', range, adminDemo);
    expect(summary.rows.map((r) => r.id)).not.toContain(ids[0]);
    const csv = await fetch(`${injected('baseUrl')}/api/v1/reports/trips?${range}&${mine()}&format=csv`, { headers: { authorization: `Bearer ${adminDemo}` } });
    expect((await csv.text()).trim().split('\n')).toHaveLength(1);
  });
});

describe('ranges', () => {
  it('from after to, more than 366 days, or not a date: VALIDATION_ERROR naming the field, nothing read', async () => {
    const error = async (query: string) => (await api(`/api/v1/reports/trips?${query}`, { token: adminB })).body.error;
    expect(await error('from=2026-03-02&to=2026-03-01')).toMatchObject({ code: 'VALIDATION_ERROR', field: 'from' });
    expect(await error('from=2025-01-01&to=2026-03-01')).toMatchObject({ code: 'VALIDATION_ERROR', field: 'to' });
    expect(await error('from=yesterday&to=2026-03-01')).toMatchObject({ code: 'VALIDATION_ERROR', field: 'from' });
    expect(await error('to=2026-03-01')).toMatchObject({ code: 'VALIDATION_ERROR', field: 'from' });
    expect(await error(`${range}&format=pdf`)).toMatchObject({ code: 'VALIDATION_ERROR', field: 'format' });
    expect(await error(`${range}&vehicleIds=not-a-uuid`)).toMatchObject({ code: 'VALIDATION_ERROR', field: 'vehicleIds.0' });
    expect((await api(`/api/v1/reports/stops?${range}&format=gpx`, { token: adminB })).body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'format' });
  });

  it('a range with no data says so', async () => {
    const empty = await report<TripRow>('trips', 'from=2020-01-01&to=2020-01-31');
    expect(empty.rows).toEqual([]);
    expect(empty.empty).toBe('No journeys in this period.');
    const summary = await report<SummaryRow>('summary', `from=2020-01-01&to=2020-01-31&${mine()}`);
    expect(summary.empty).toBe('No vehicle moved in this period.');
    expect(summary.totals.distanceM).toBe(0);
  });
});
