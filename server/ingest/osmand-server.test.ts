import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { ApiError } from '../protocol/errors';
import type { Sender } from './normalize';
import { startOsmandServer, type OsmandListener } from './osmand-server';

const V1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const received: Array<{ inputs: readonly unknown[]; sender: Sender }> = [];
const ingest = {
  deviceByIdentifier(identifier: string) {
    if (identifier !== 'dev-1') throw new ApiError('NOT_FOUND', `no vehicle has device identifier ${identifier}`, 'id');
    return { id: V1, tenantId: 't', deviceId: 'dev-1', deviceToken: 'tok', driverId: null, receptionEnabled: true, type: 'van', attributes: {} };
  },
  async submit(inputs: readonly unknown[], sender: Sender) {
    if ((inputs[0] as { lat: number }).lat === 66.6) throw new Error('boom');
    received.push({ inputs, sender });
    return { accepted: 1, rejected: [] };
  },
};
const log = createLogger('silent', false);
let listener: OsmandListener;
const url = (path: string) => `http://127.0.0.1:${listener.port}${path}`;

beforeAll(async () => {
  listener = await startOsmandServer({ port: 0, host: '127.0.0.1', ingest, log });
});
afterAll(() => listener.close());

describe('OsmAnd listener', () => {
  it('answers GET at any path, and form and JSON POSTs, like the route', async () => {
    const get = await fetch(url('/?id=dev-1&lat=1&lon=2&timestamp=1795000000&speed=10'));
    expect([get.status, await get.json()]).toEqual([200, { accepted: 1, rejected: [] }]);
    const form = await fetch(url('/some/path'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=dev-1&lat=3&lon=4' });
    expect(form.status).toBe(200);
    const json = await fetch(url('/'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device_id: 'dev-1', location: { timestamp: 1_795_000_000_000, coords: { latitude: 5, longitude: 6, speed: 5 } } }),
    });
    expect(json.status).toBe(200);
    expect(received.map((r) => r.inputs[0])).toMatchObject([
      { lat: 1, lng: 2, timestamp: 1_795_000_000_000, speed: 18.52 },
      { lat: 3, lng: 4 },
      { lat: 5, lng: 6, speed: 18 },
    ]);
    expect(received.every((r) => r.sender.kind === 'device' && r.sender.vehicleId === V1)).toBe(true);
  });

  it('answers refusals with the structured error, and unexpected failures with 500 INTERNAL', async () => {
    const unknown = await fetch(url('/?id=nobody&lat=1&lon=2'));
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: { code: 'NOT_FOUND', message: 'no vehicle has device identifier nobody', field: 'id' } }]);
    const invalid = await fetch(url('/?id=dev-1&lat=north&lon=2'));
    expect([invalid.status, (await invalid.json()).error]).toEqual([400, { code: 'VALIDATION_ERROR', message: 'lat: must be a number', field: 'lat' }]);
    const failing = await fetch(url('/?id=dev-1&lat=66.6&lon=2'));
    expect([failing.status, (await failing.json()).error.code]).toEqual([500, 'INTERNAL']);
    const after = await fetch(url('/?id=dev-1&lat=1&lon=2'));
    expect(after.status).toBe(200);
  });

  it('says which variable to change when its port is taken', async () => {
    await expect(startOsmandServer({ port: listener.port, host: '127.0.0.1', ingest, log })).rejects.toThrow(`OSMAND_PORT ${listener.port} is in use`);
  });
});
