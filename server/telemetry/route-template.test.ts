import { describe, expect, it } from 'vitest';
import { routeTemplate } from './route-template';

describe('routeTemplate', () => {
  it('keeps static routes as they are', () => {
    expect(routeTemplate('/api/v1/vehicles', {})).toBe('/api/v1/vehicles');
    expect(routeTemplate('/api/v1/vehicles', undefined)).toBe('/api/v1/vehicles');
  });

  it('names dynamic segments by their param', () => {
    const id = '0190a4c2-1111-7000-8000-000000000001';
    expect(routeTemplate(`/api/v1/vehicles/${id}`, { id })).toBe('/api/v1/vehicles/[id]');
    expect(routeTemplate(`/api/v1/webhooks/${id}/deliveries/abc/redeliver`, { id, deliveryId: 'abc' })).toBe('/api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver');
  });

  it('matches encoded segments and catch-all params', () => {
    expect(routeTemplate('/api/v1/geocode/Main%20St', { q: 'Main St' })).toBe('/api/v1/geocode/[q]');
    expect(routeTemplate('/api/v1/tiles/1/2/3.mvt', { path: ['1', '2', '3.mvt'] })).toBe('/api/v1/tiles/[...path]');
  });
});
