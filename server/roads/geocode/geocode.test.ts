import { describe, expect, it } from 'vitest';
import { buildRoadGraph } from '../graph/build';
import { latOf, lngOf, seg } from '../graph/fixtures';
import { buildGeocodeIndex, geocodeIndexBytes, type GeocodeSource } from './build';
import { boundedDistance } from './edit-distance';
import { expansionsOf, tokenize } from './normalize';
import { nearestAddress, streetAt, initialBearing } from './reverse';
import { GeocodeSearcher } from './search';

// A small town around (-76.60, 39.29); 0.001° ≈ 86 m east-west, 111 m north-south here.
const X = -76.6;
const Y = 39.29;
const line = (...pts: [number, number][]) => pts.flatMap(([dx, dy]) => [X + dx, Y + dy]);

function town(): GeocodeSource {
  return {
    streets: [
      // East Pratt Street in two connected pieces: one entry.
      { name: 'East Pratt Street', class: 'secondary', coords: line([0, 0], [0.005, 0]) },
      { name: 'East Pratt Street', class: 'secondary', coords: line([0.005, 0], [0.01, 0]) },
      { name: 'Pratt Street', class: 'residential', coords: line([0, 0.02], [0.004, 0.02]) },
      { name: 'Prattle Lane', class: 'residential', coords: line([0, 0.03], [0.002, 0.03]) },
      { name: 'Charles Street', class: 'primary', coords: line([0.02, -0.01], [0.02, 0.01]) },
      // Two Main Streets 20 km apart: two entries.
      { name: 'Main Street', class: 'residential', coords: line([0.03, 0], [0.032, 0]) },
      { name: 'Main Street', class: 'residential', coords: line([0.25, 0], [0.252, 0]) },
      { name: 'Eastern Avenue', class: 'primary', coords: line([0, -0.01], [0.01, -0.01]) },
    ],
    addresses: [
      { housenumber: '200', street: 'East Pratt Street', postcode: '21202', city: 'Baltimore', name: null, lng: X + 0.002, lat: Y + 0.0001 },
      { housenumber: '750', street: 'East Pratt Street', postcode: '21202', city: 'Baltimore', name: 'Miss Shirley’s', lng: X + 0.008, lat: Y + 0.0001 },
      { housenumber: '12', street: 'Pratt Street', postcode: '21201', city: 'Baltimore', name: null, lng: X + 0.001, lat: Y + 0.0201 },
      { housenumber: '20', street: 'Charles Street', postcode: null, city: null, name: null, lng: X + 0.0201, lat: Y },
    ],
    features: [
      { layer: 'place', kind: 'neighbourhood', name: 'Fells Point', lng: X + 0.005, lat: Y - 0.005 },
      { layer: 'place', kind: 'neighbourhood', name: 'Canton', lng: X + 0.04, lat: Y },
      { layer: 'poi', kind: 'restaurant', name: 'Pratt Street Ale House', lng: X + 0.003, lat: Y + 0.0002 },
      { layer: 'poi', kind: 'cafe', name: 'Canton Cafe', lng: X + 0.041, lat: Y },
      { layer: 'poi', kind: 'cafe', name: 'Main Street Cafe', lng: X + 0.251, lat: Y },
    ],
  };
}

const searcher = () => new GeocodeSearcher(buildGeocodeIndex(town()).index);

describe('normalize', () => {
  it('folds street words and compass prefixes, drops accents and apostrophes', () => {
    expect(tokenize('East Pratt Street')).toEqual(['e', 'pratt', 'st']);
    expect(tokenize('E. Pratt St')).toEqual(['e', 'pratt', 'st']);
    expect(tokenize("Vaccaro's Café")).toEqual(['vaccaros', 'cafe']);
    expect(expansionsOf('stre')).toEqual(['st']);
    expect(expansionsOf('street')).toEqual([]);
  });

  it('bounded edit distance counts swaps as one edit and measures against prefixes', () => {
    expect(boundedDistance('pratt', 'pratt', 1)).toBe(0);
    expect(boundedDistance('prtat', 'pratt', 1)).toBe(1);
    expect(boundedDistance('chrles', 'charles', 1)).toBe(1);
    expect(boundedDistance('cahrles', 'charles', 1)).toBe(1);
    expect(boundedDistance('xyzles', 'charles', 2)).toBe(3);
    expect(boundedDistance('prat', 'prattle', 1)).toBe(2);
    expect(boundedDistance('pratr', 'prattle', 1, true)).toBe(1);
  });
});

describe('GeocodeSearcher', () => {
  it('finds a street by a prefix of its name, the exact street above longer names', () => {
    const hits = searcher().search('Pratt');
    expect(hits[0]).toMatchObject({ kind: 'street', name: 'Pratt Street' });
    expect(hits.map((h) => h.name)).toContain('East Pratt Street');
    const prefix = searcher().search('Prat');
    expect(prefix.slice(0, 3).map((h) => h.kind)).toContain('street');
    // Prattle Lane matches "pratt" only as a prefix: below both Pratt streets.
    const names = hits.map((h) => h.name);
    expect(names.indexOf('Prattle Lane')).toBeGreaterThan(names.indexOf('East Pratt Street'));
  });

  it('merges connected segments of one name into one street with their extent, and keeps distant ones apart', () => {
    const s = searcher();
    const pratt = s.search('east pratt street').filter((h) => h.kind === 'street');
    expect(pratt).toHaveLength(1);
    expect(pratt[0]!.bbox![0]).toBeCloseTo(X, 5);
    expect(pratt[0]!.bbox![2]).toBeCloseTo(X + 0.01, 5);
    expect(s.search('main street').filter((h) => h.kind === 'street')).toHaveLength(2);
  });

  it('matches abbreviations and long forms both ways, and a long form being typed', () => {
    const s = searcher();
    for (const q of ['E Pratt St', 'east pratt street', 'E. Pratt Str', 'E Pratt Stre']) {
      expect(s.search(q)[0], q).toMatchObject({ kind: 'street', name: 'East Pratt Street' });
    }
  });

  it('finds an address from "number street" and "street number" forms', () => {
    const s = searcher();
    for (const q of ['200 E Pratt St', '200 East Pratt Street', 'E Pratt St 200', 'Pratt St 200']) {
      expect(s.search(q)[0], q).toMatchObject({ kind: 'address', label: '200 East Pratt Street, Baltimore 21202' });
    }
    expect(s.search('750 e pratt')[0]).toMatchObject({ kind: 'address', name: 'Miss Shirley’s' });
  });

  it('falls back to the street when the house number is unknown', () => {
    const hits = searcher().search('999 E Pratt St');
    expect(hits[0]).toMatchObject({ kind: 'street', name: 'East Pratt Street' });
  });

  it('tolerates typos: one edit in short words, two in long ones, in any word', () => {
    const s = searcher();
    expect(s.search('Chrales Street')[0]).toMatchObject({ kind: 'street', name: 'Charles Street' });
    expect(s.search('Charls')[0]).toMatchObject({ name: 'Charles Street' });
    expect(s.search('Eastren Avnue')[0]).toMatchObject({ kind: 'street', name: 'Eastern Avenue' });
    expect(s.search('Fels Piont')[0]).toMatchObject({ kind: 'place', name: 'Fells Point' });
    // A typo ranks below an exact match.
    expect(s.search('Charles')[0]!.score).toBeGreaterThan(s.search('Charls')[0]!.score);
    expect(s.search('qqqqqq')).toEqual([]);
  });

  it('finds places and POIs, also by their kind', () => {
    const s = searcher();
    expect(s.search('canton')[0]).toMatchObject({ kind: 'place', name: 'Canton', category: 'neighbourhood' });
    const cafes = s.search('cafe');
    expect(cafes.map((h) => h.name).sort()).toEqual(['Canton Cafe', 'Main Street Cafe']);
    expect(s.search('ale house')[0]).toMatchObject({ kind: 'poi', name: 'Pratt Street Ale House', category: 'restaurant' });
  });

  it('ranks by proximity: the near Main Street first, and `near` turns the order around', () => {
    const s = searcher();
    const home = s.search('main street').filter((h) => h.kind === 'street');
    expect(home[0]!.lng).toBeLessThan(X + 0.1);
    const far = s.search('main street', { near: { lng: X + 0.25, lat: Y } }).filter((h) => h.kind === 'street');
    expect(far[0]!.lng).toBeGreaterThan(X + 0.2);
    const cafe = s.search('cafe', { near: { lng: X + 0.25, lat: Y } });
    expect(cafe[0]!.name).toBe('Main Street Cafe');
  });

  it('labels streets with the nearest neighbourhood and POIs with their address or neighbourhood', () => {
    const s = searcher();
    expect(s.search('eastern avenue')[0]!.label).toBe('Eastern Avenue, Fells Point');
    expect(s.search('canton cafe')[0]!.label).toBe('Canton Cafe, Canton');
  });

  it('honours the limit and answers nothing for an empty query', () => {
    const s = searcher();
    expect(s.search('street', { limit: 2 })).toHaveLength(2);
    expect(s.search('  ,. ')).toEqual([]);
  });

  it('reports a compact index', () => {
    const { index, report } = buildGeocodeIndex(town());
    expect(report).toMatchObject({ addresses: 4, places: 2, pois: 3, streets: 7 });
    expect(geocodeIndexBytes(index) / index.size).toBeLessThan(400);
  });
});

describe('reverse', () => {
  it('finds the nearest address within 50 m, nothing farther', () => {
    const { index } = buildGeocodeIndex(town());
    const s = new GeocodeSearcher(index);
    const near = nearestAddress(index, X + 0.0021, Y + 0.0001);
    expect(near).not.toBeNull();
    expect(s.hit(near!.entry, 1).label).toBe('200 East Pratt Street, Baltimore 21202');
    expect(near!.distanceM).toBeLessThan(15);
    expect(nearestAddress(index, X + 0.005, Y + 0.002)).toBeNull();
  });

  it('names the street under a point with its bearing, the travel direction on one-way streets', () => {
    const graph = buildRoadGraph([
      seg([[0, 0], [1, 0]], { name: 'East Pratt Street' }),
      seg([[0, 1], [1, 1]], { name: 'Lombard Street', oneway: -1 }),
    ]).graph;
    const a = streetAt(graph, lngOf(0.5), latOf(0.1), 100)!;
    expect(a).toMatchObject({ name: 'East Pratt Street', oneway: false });
    expect(a.distanceM).toBeCloseTo(11.1, 0);
    expect(Math.round(a.bearing)).toBe(90);
    const b = streetAt(graph, lngOf(0.5), latOf(0.95), 100)!;
    expect(b).toMatchObject({ name: 'Lombard Street', oneway: true });
    // Drawn west → east, one-way against the line: travel is westward.
    expect(Math.round(b.bearing)).toBe(270);
    expect(streetAt(graph, graph.coords[0]! + 1, graph.coords[1]!, 100)).toBeNull();
    expect(Math.round(initialBearing(0, 0, 0, 1))).toBe(0);
  });
});
