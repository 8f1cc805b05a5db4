import { describe, expect, it } from 'vitest';
import { mapUrlSearch, parseMapUrl } from './url-state';
import { STATUSES } from './vehicle-store';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('map state in the URL', () => {
  it('round-trips position, selected vehicle and filters', () => {
    const state = { view: { center: [-76.56512, 39.28034] as [number, number], zoom: 13.25 }, vehicleId: ID, filter: { statuses: new Set(['moving', 'offline'] as const), types: new Set(['van', 'truck']) } };
    const search = mapUrlSearch(state);
    expect(search).toBe(`?at=-76.565120,39.280340,13.25&vehicle=${ID}&status=moving,offline&type=truck,van`);
    const back = parseMapUrl(search);
    expect(back.view).toEqual({ center: [-76.56512, 39.28034], zoom: 13.25 });
    expect(back.vehicleId).toBe(ID);
    expect([...back.filter.statuses].sort()).toEqual(['moving', 'offline']);
    expect([...back.filter.types].sort()).toEqual(['truck', 'van']);
  });

  it('leaves defaults out and keeps other parameters', () => {
    const defaults = { view: null, vehicleId: null, filter: { statuses: new Set(STATUSES), types: new Set<string>() } };
    expect(mapUrlSearch(defaults)).toBe('');
    expect(mapUrlSearch(defaults, '?debug=1&vehicle=x')).toBe('?debug=1');
    const parsed = parseMapUrl('');
    expect(parsed.view).toBeNull();
    expect([...parsed.filter.statuses]).toEqual([...STATUSES]);
  });

  it('keeps the group and dispatch status filters', () => {
    const state = { view: null, vehicleId: null, filter: { statuses: new Set(STATUSES), types: new Set<string>(), group: 'Bayview depot', dispatch: 'ONLINE' as const } };
    const search = mapUrlSearch(state);
    expect(search).toBe('?group=Bayview+depot&dispatch=ONLINE');
    expect(parseMapUrl(search).filter).toMatchObject({ group: 'Bayview depot', dispatch: 'ONLINE' });
    expect(parseMapUrl('?dispatch=ASLEEP').filter.dispatch).toBeUndefined();
  });

  it('ignores malformed values', () => {
    const parsed = parseMapUrl('?at=1,2&vehicle=not-a-uuid&status=flying,moving');
    expect(parsed.view).toBeNull();
    expect(parsed.vehicleId).toBeNull();
    expect([...parsed.filter.statuses]).toEqual(['moving']);
    expect(parseMapUrl('?at=200,39,12').view).toBeNull();
    expect(parseMapUrl('?at=-76.5,39.2,40').view).toBeNull();
  });
});
