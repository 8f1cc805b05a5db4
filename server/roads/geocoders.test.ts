import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/tokens';
import { ApiError } from '../protocol/errors';
import { buildRoadGraph } from './graph/build';
import { latOf, lngOf, seg } from './graph/fixtures';
import type { GeocodeSource } from './geocode';
import { Geocoders } from './geocoders';

const log = pino({ level: 'silent' });
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const viewer = (tenantId: string): Principal => ({ userId: 'u', tenantId, role: 'viewer' });

const rows = [seg([[0, 0], [4, 0]], { name: 'East Pratt Street' }), seg([[0, 3], [4, 3]], { name: 'Lombard Street', oneway: 1 })];
const source = (): GeocodeSource => ({
  streets: rows.map((r) => ({ name: r.name!, class: r.class, coords: r.coords as number[] })),
  addresses: [{ housenumber: '200', street: 'East Pratt Street', postcode: '21202', city: 'Baltimore', name: null, lng: lngOf(1), lat: latOf(0.1) }],
  features: [{ layer: 'place', kind: 'neighbourhood', name: 'Little Italy', lng: lngOf(2), lat: latOf(1) }],
});
const graph = buildRoadGraph(rows).graph;

function caught(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

function geocoders(tenants: () => Promise<string[]> = async () => [A]) {
  return new Geocoders({ load: async (t) => (t === A ? source() : { streets: [], addresses: [], features: [] }), tenants, graph: (t) => (t === A ? graph : null), log });
}

describe('Geocoders', () => {
  it('searches the tenant’s own index only', async () => {
    const g = geocoders();
    await g.start();
    expect(g.info(A)).toMatchObject({ addresses: 1, streets: 2, places: 1 });
    const res = g.search(viewer(A), { q: 'pratt', limit: '5' });
    expect(res.results[0]).toMatchObject({ kind: 'street', name: 'East Pratt Street' });
    expect(caught(() => g.search(viewer(B), { q: 'pratt' }))).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'NO_ROAD_NETWORK' } });
  });

  it('refuses bad input naming the field', async () => {
    const g = geocoders();
    await g.start();
    expect(caught(() => g.search(viewer(A), {}))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'q' });
    expect(caught(() => g.search(viewer(A), { q: '  ' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'q' });
    expect(caught(() => g.search(viewer(A), { q: 'x', limit: '0' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'limit' });
    expect(caught(() => g.search(viewer(A), { q: 'x', near: '1,2,3' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'near' });
    expect(caught(() => g.reverse(viewer(A), { lng: '10' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'lat' });
    expect(caught(() => g.reverse(viewer(A), { lng: '200', lat: '50' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'lng' });
    expect(caught(() => g.reverse(viewer(A), { lng: 'east', lat: '50' }))).toMatchObject({ code: 'VALIDATION_ERROR', field: 'lng' });
  });

  it('reverse: the address within 50 m and the street with its bearing; only the street farther away', async () => {
    const g = geocoders();
    await g.start();
    const at = g.reverse(viewer(A), { lng: String(lngOf(1)), lat: String(latOf(0.2)) });
    expect(at.label).toBe('200 East Pratt Street, Baltimore 21202');
    expect(at.address).toMatchObject({ housenumber: '200', street: 'East Pratt Street' });
    expect(at.street).toMatchObject({ name: 'East Pratt Street', oneway: false, bearing: 90 });
    const lombard = g.reverse(viewer(A), { lng: String(lngOf(3)), lat: String(latOf(2.9)) });
    expect(lombard).toMatchObject({ label: 'Lombard Street', address: null, street: { name: 'Lombard Street', oneway: true } });
    const nowhere = g.reverse(viewer(A), { lng: String(lngOf(3)), lat: String(latOf(30)) });
    expect(nowhere).toEqual({ label: null, address: null, street: null });
  });

  it('answers UNAVAILABLE until it knows which tenants have a network, and rebuild replaces the index', async () => {
    let list!: (tenants: string[]) => void;
    const g = geocoders(() => new Promise((resolve) => (list = resolve)));
    const started = g.start();
    expect(caught(() => g.search(viewer(A), { q: 'pratt' }))).toMatchObject({ code: 'UNAVAILABLE' });
    list([]);
    await started;
    expect(caught(() => g.search(viewer(A), { q: 'pratt' }))).toMatchObject({ code: 'NOT_FOUND' });
    await g.rebuild(A);
    expect(g.search(viewer(A), { q: 'little italy' }).results[0]).toMatchObject({ kind: 'place' });
  });
});
