import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/tokens';
import { ApiError } from '../protocol/errors';
import { latOf, lngOf, seg } from './graph/fixtures';
import type { RoadSegmentRow } from './graph/types';
import { RoadGraphs } from './road-graphs';

const log = pino({ level: 'silent' });
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const viewer = (tenantId: string): Principal => ({ userId: 'u', tenantId, role: 'viewer' });
const pt = (x: number, y: number) => `${lngOf(x)},${latOf(y)}`;

const street = (): RoadSegmentRow[] => [
  seg([[0, 0], [1, 0]], { name: 'First Street' }),
  seg([[1, 0], [2, 0]], { name: 'First Street', oneway: 1 }),
  seg([[5, 0], [6, 0]], { name: 'Island Road' }),
];

function caught(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('RoadGraphs', () => {
  it('builds a graph per tenant with a network at start and routes for that tenant only', async () => {
    const networks = new Map([[A, street()]]);
    const graphs = new RoadGraphs({ load: async (t) => networks.get(t) ?? [], tenants: async () => [...networks.keys()], log });
    await graphs.start();
    expect(graphs.info(A)).toMatchObject({ tenantId: A, nodes: 5, segments: 3 });
    const route = graphs.route(viewer(A), { from: pt(0.5, 0), to: pt(1.5, 0), optimize: 'distance' });
    expect(route.type).toBe('Feature');
    expect(route.properties.steps.map((s) => s.name)).toEqual(['First Street']);
    expect(caught(() => graphs.route(viewer(B), { from: pt(0, 0), to: pt(1, 0) }))).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'NO_ROAD_NETWORK' } });
  });

  it('answers UNAVAILABLE until it knows which tenants have a network', async () => {
    let list!: (tenants: string[]) => void;
    const graphs = new RoadGraphs({ load: async () => street(), tenants: () => new Promise((resolve) => (list = resolve)), log });
    const started = graphs.start();
    expect(caught(() => graphs.route(viewer(B), { from: pt(0, 0), to: pt(1, 0) }))).toMatchObject({ code: 'UNAVAILABLE' });
    list([A]);
    await started;
    expect(caught(() => graphs.route(viewer(B), { from: pt(0, 0), to: pt(1, 0) }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers UNAVAILABLE while a first build runs, and rebuilds when the network changes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let rows = street();
    const graphs = new RoadGraphs({
      load: async () => {
        await gate;
        return rows;
      },
      tenants: async () => [A],
      log,
    });
    const started = graphs.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(caught(() => graphs.route(viewer(A), { from: pt(0, 0), to: pt(1, 0) }))).toMatchObject({ code: 'UNAVAILABLE', details: { reason: 'ROAD_GRAPH_BUILDING' } });
    release();
    await started;
    expect(graphs.route(viewer(A), { from: pt(0, 0), to: pt(1, 0) }).properties.distanceM).toBeGreaterThan(0);
    // The import replaced the network with one that has no road at x = 0.
    rows = [seg([[10, 0], [11, 0]])];
    await graphs.rebuild(A);
    expect(caught(() => graphs.route(viewer(A), { from: pt(0, 0), to: pt(1, 0) }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'from' });
    rows = [];
    expect(await graphs.rebuild(A)).toBeNull();
    expect(caught(() => graphs.route(viewer(A), { from: pt(0, 0), to: pt(1, 0) }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the previous graph when loading fails', async () => {
    let fail = false;
    const graphs = new RoadGraphs({
      load: async () => {
        if (fail) throw new Error('database gone');
        return street();
      },
      tenants: async () => [A],
      log,
    });
    await graphs.start();
    fail = true;
    await expect(graphs.rebuild(A)).rejects.toThrow('database gone');
    expect(graphs.route(viewer(A), { from: pt(0, 0), to: pt(1, 0) }).properties.distanceM).toBeGreaterThan(0);
  });

  it('turns routing failures and bad input into structured errors', async () => {
    const graphs = new RoadGraphs({ load: async () => street(), tenants: async () => [A], log, maxSnapM: 300 });
    await graphs.start();
    const user = viewer(A);
    expect(caught(() => graphs.route(user, { from: pt(0, 0), via: `${pt(1, 0)};${pt(1, 9)}`, to: pt(2, 0) }))).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'via',
      details: { reason: 'OFF_NETWORK', point: 'via[1]', maxSnapM: 300 },
    });
    expect(caught(() => graphs.route(user, { from: pt(0, 0), to: pt(0, 9) }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'to', details: { point: 'to' } });
    // Against the one-way stretch into a dead end, and to a separate piece of network.
    expect(caught(() => graphs.route(user, { from: pt(1.5, 0), to: pt(0.5, 0) }))).toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'UNREACHABLE', from: 'from', to: 'to' },
    });
    expect(caught(() => graphs.route(user, { from: pt(0.5, 0), to: pt(5.5, 0) }))).toMatchObject({ details: { reason: 'UNREACHABLE' } });
    expect(caught(() => graphs.route(user, { to: pt(0, 0) }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'from' });
    expect(caught(() => graphs.route(user, { from: '10,95', to: pt(0, 0) }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'from' });
    expect(caught(() => graphs.route(user, { from: pt(0, 0), to: pt(1, 0), optimize: 'fastest' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'optimize' });
    expect(caught(() => graphs.route(user, { from: pt(0, 0), to: pt(1, 0), via: '1,2;x' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'via' });
  });
});
