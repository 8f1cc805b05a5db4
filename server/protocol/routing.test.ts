import { describe, expect, it } from 'vitest';
import { MAX_VIAS, routeQuery } from './routing';

describe('routeQuery', () => {
  it('parses points, vias in order and optimize (default time)', () => {
    expect(routeQuery.parse({ from: '-76.61,39.29', to: ' -76.6 , 39.3 ' })).toEqual({
      from: { lng: -76.61, lat: 39.29 },
      to: { lng: -76.6, lat: 39.3 },
      via: [],
      optimize: 'time',
    });
    expect(routeQuery.parse({ from: '1,2', to: '3,4', via: '5,6;7,8', optimize: 'distance' })).toMatchObject({
      via: [
        { lng: 5, lat: 6 },
        { lng: 7, lat: 8 },
      ],
      optimize: 'distance',
    });
    expect(routeQuery.parse({ from: '1,2', to: '3,4', via: '', optimize: '' })).toMatchObject({ via: [], optimize: 'time' });
  });

  it('refuses malformed or out-of-range points, too many vias and unknown optimize values', () => {
    const bad = (input: Record<string, string>) => {
      const r = routeQuery.safeParse(input);
      return r.success ? null : { path: r.error.issues[0]!.path.join('.'), message: r.error.issues[0]!.message };
    };
    expect(bad({ to: '1,2' })).toEqual({ path: 'from', message: 'is required' });
    expect(bad({ from: '1', to: '1,2' })?.path).toBe('from');
    expect(bad({ from: '1,2,3', to: '1,2' })?.path).toBe('from');
    expect(bad({ from: '181,2', to: '1,2' })?.message).toMatch(/longitude/);
    expect(bad({ from: '1,2', to: '1,-91' })?.message).toMatch(/latitude/);
    expect(bad({ from: '1,2', to: '1,2', via: '1,2;a,b' })).toEqual({ path: 'via', message: expect.stringContaining('via[1]') });
    expect(bad({ from: '1,2', to: '1,2', via: Array.from({ length: MAX_VIAS + 1 }, () => '1,2').join(';') })?.path).toBe('via');
    expect(bad({ from: '1,2', to: '1,2', optimize: 'shortest' })?.path).toBe('optimize');
  });
});
