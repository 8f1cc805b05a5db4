import { describe, expect, it } from 'vitest';
import { ApiError } from '../protocol/errors';
import type { PositionsAck } from '../protocol/position';
import type { Sender } from './normalize';
import { handleOsmand, MAX_OSMAND_BODY_BYTES } from './osmand-handler';

const V1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

/** An IngestService stand-in: one known device, and an ack chosen by the test. */
function fakeIngest(ack: PositionsAck = { accepted: 1, rejected: [] }) {
  const calls: Array<{ inputs: readonly unknown[]; sender: Sender }> = [];
  return {
    calls,
    deviceByIdentifier(identifier: string) {
      if (identifier !== 'dev-1') throw new ApiError('NOT_FOUND', `no vehicle has device identifier ${identifier}`, 'id');
      return { id: V1, tenantId: 't', deviceId: 'dev-1', deviceToken: 'tok', driverId: null, receptionEnabled: true, type: 'van', attributes: {} };
    },
    async submit(inputs: readonly unknown[], sender: Sender) {
      calls.push({ inputs, sender });
      return ack;
    },
  };
}

const URL_BASE = 'http://osmand.test/';

describe('handleOsmand', () => {
  it('submits one position for the device and answers 200 with the ack', async () => {
    const ingest = fakeIngest();
    const response = await handleOsmand(new Request(`${URL_BASE}?id=dev-1&lat=1&lon=2&timestamp=1795000000&speed=10`), ingest);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 1, rejected: [] });
    expect(ingest.calls).toEqual([{ inputs: [{ lat: 1, lng: 2, timestamp: 1_795_000_000_000, speed: 18.52 }], sender: { kind: 'device', vehicleId: V1 } }]);
  });

  it('reads a form-encoded or JSON POST body', async () => {
    const ingest = fakeIngest();
    const form = await handleOsmand(
      new Request(URL_BASE, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=dev-1&lat=3&lon=4' }),
      ingest,
    );
    expect(form.status).toBe(200);
    const jsonBody = JSON.stringify({ device_id: 'dev-1', location: { timestamp: 1_795_000_000_000, coords: { latitude: 5, longitude: 6, speed: 5 } } });
    const json = await handleOsmand(new Request(URL_BASE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody }), ingest);
    expect(json.status).toBe(200);
    expect(ingest.calls.map((c) => c.inputs[0])).toMatchObject([{ lat: 3, lng: 4 }, { lat: 5, lng: 6, speed: 18 }]);
  });

  it('answers 404 for an unknown device and 400 for a missing id, without submitting', async () => {
    const ingest = fakeIngest();
    const unknown = await handleOsmand(new Request(`${URL_BASE}?id=nobody&lat=1&lon=2`), ingest);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND', field: 'id' } });
    const unknownJson = await handleOsmand(
      new Request(URL_BASE, { method: 'POST', body: JSON.stringify({ device_id: 'nobody', location: { coords: { latitude: 1, longitude: 2 } } }) }),
      ingest,
    );
    expect([unknownJson.status, (await unknownJson.json()).error.field]).toEqual([404, 'device_id']);
    const unknownDeviceid = await handleOsmand(new Request(`${URL_BASE}?deviceid=nobody&lat=1&lon=2`), ingest);
    expect([unknownDeviceid.status, (await unknownDeviceid.json()).error.field]).toEqual([404, 'deviceid']);
    const missing = await handleOsmand(new Request(`${URL_BASE}?lat=1&lon=2`), ingest);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR', field: 'id' } });
    expect(ingest.calls).toEqual([]);
  });

  it('names the wire field of a refusal by the pipeline', async () => {
    const ingest = fakeIngest({ accepted: 0, rejected: [{ index: 0, code: 'VALIDATION_ERROR', message: 'heading: too big', field: 'heading' }] });
    const response = await handleOsmand(new Request(`${URL_BASE}?id=dev-1&lat=1&lon=2&bearing=400`), ingest);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      accepted: 0,
      rejected: [{ index: 0, code: 'VALIDATION_ERROR', message: 'heading: too big', field: 'bearing' }],
      error: { code: 'VALIDATION_ERROR', message: 'heading: too big', field: 'bearing' },
    });
  });

  it.each([
    ['RECEPTION_DISABLED', 503, '60'],
    ['UNAVAILABLE', 503, '5'],
    ['RATE_LIMITED', 429, '1'],
  ])('answers %s with %s and Retry-After %s', async (code, status, retryAfter) => {
    const ingest = fakeIngest({ accepted: 0, rejected: [{ index: 0, code, message: code }] });
    const response = await handleOsmand(new Request(`${URL_BASE}?id=dev-1&lat=1&lon=2`), ingest);
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(await response.json()).toMatchObject({ error: { code } });
  });

  it('refuses other methods and oversized bodies', async () => {
    const ingest = fakeIngest();
    const put = await handleOsmand(new Request(`${URL_BASE}?id=dev-1&lat=1&lon=2`, { method: 'PUT' }), ingest);
    expect(put.status).toBe(400);
    expect(put.headers.get('allow')).toBe('GET, POST');
    const big = await handleOsmand(new Request(URL_BASE, { method: 'POST', body: `id=dev-1&lat=1&lon=2&x=${'a'.repeat(MAX_OSMAND_BODY_BYTES)}` }), ingest);
    expect(big.status).toBe(400);
    expect(await big.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(ingest.calls).toEqual([]);
  });

  it('rethrows unexpected errors for the caller to log', async () => {
    const ingest = { ...fakeIngest(), submit: async () => Promise.reject(new Error('boom')) };
    await expect(handleOsmand(new Request(`${URL_BASE}?id=dev-1&lat=1&lon=2`), ingest)).rejects.toThrow('boom');
  });
});
