import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../auth/tokens';
import { ApiError } from '../protocol/errors';
import type { SpatialService } from './service';
import { handleSpatialQuery } from './socket-query';

const principal: Principal = { userId: 'u', tenantId: 't', role: 'manager' };
const ok = { vehicles: [], truncated: false };

function stub(overrides: Partial<Record<keyof SpatialService, (...args: unknown[]) => unknown>> = {}) {
  const calls: Array<[string, unknown[]]> = [];
  const method = (name: keyof SpatialService) =>
    vi.fn(async (...args: unknown[]) => {
      calls.push([name, args.slice(1)]);
      return overrides[name] ? overrides[name]!(...args) : ok;
    });
  const service = {
    withinBbox: method('withinBbox'),
    withinPolygon: method('withinPolygon'),
    nearby: method('nearby'),
    nearest: method('nearest'),
    history: method('history'),
  } as unknown as SpatialService;
  return { service, calls };
}

describe('handleSpatialQuery', () => {
  it('routes each type to the service with the same parameters REST passes', async () => {
    const { service, calls } = stub();
    const polygon = { type: 'Polygon', coordinates: [] };
    await handleSpatialQuery(service, principal, { type: 'within', bbox: [1, 2, 3, 4] });
    await handleSpatialQuery(service, principal, { type: 'within', polygon, limit: 5 });
    await handleSpatialQuery(service, principal, { type: 'nearby', lng: 1, lat: 2, radius: 300 });
    await handleSpatialQuery(service, principal, { type: 'nearest', lng: 1, lat: 2, k: 3 });
    await handleSpatialQuery(service, principal, { type: 'history', vehicleId: 'v', from: 'a', to: 'b' });
    expect(calls).toEqual([
      ['withinBbox', [{ bbox: [1, 2, 3, 4], limit: undefined }]],
      ['withinPolygon', [{ polygon, limit: 5 }]],
      ['nearby', [{ lng: 1, lat: 2, radius: 300 }]],
      ['nearest', [{ lng: 1, lat: 2, k: 3 }]],
      ['history', ['v', { from: 'a', to: 'b' }]],
    ]);
  });

  it('answers the result object', async () => {
    const { service } = stub();
    expect(await handleSpatialQuery(service, principal, { type: 'nearest', lng: 1, lat: 2 })).toEqual(ok);
  });

  it('turns refusals into {error} with code, message and field', async () => {
    const { service } = stub({
      nearby: () => {
        throw new ApiError('VALIDATION_ERROR', 'radius: must be more than 0', 'radius');
      },
    });
    expect(await handleSpatialQuery(service, principal, { type: 'nearby', lng: 1, lat: 2, radius: 0 })).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'radius: must be more than 0', field: 'radius' },
    });
    expect(await handleSpatialQuery(service, principal, { type: 'orbit' })).toMatchObject({ error: { code: 'VALIDATION_ERROR', field: 'type' } });
    expect(await handleSpatialQuery(service, principal, null)).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(await handleSpatialQuery(service, principal, { type: 'history', from: 'a', to: 'b' })).toMatchObject({ error: { code: 'VALIDATION_ERROR', field: 'vehicleId' } });
    expect(await handleSpatialQuery(service, principal, { type: 'within', bbox: '1,2,3,4', polygon: {} })).toMatchObject({ error: { code: 'VALIDATION_ERROR', field: 'bbox' } });
  });

  it('hides unexpected failures behind INTERNAL and reports them', async () => {
    const { service } = stub({
      nearest: () => {
        throw new Error('connection reset');
      },
    });
    const seen: unknown[] = [];
    expect(await handleSpatialQuery(service, principal, { type: 'nearest', lng: 1, lat: 2 }, (e) => seen.push(e))).toEqual({
      error: { code: 'INTERNAL', message: 'internal error' },
    });
    expect(seen).toHaveLength(1);
  });
});
