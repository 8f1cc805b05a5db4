import { describe, expect, it } from 'vitest';
import { addressOf, areaFeature, motorAccess, onewayOf, pointFeature, roadClass } from './classify';

describe('roadClass', () => {
  it.each([
    'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential', 'service', 'living_street', 'road',
    'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
  ])('%s is a road', (highway) => {
    expect(roadClass({ highway })).toBe(highway);
  });

  it.each(['footway', 'cycleway', 'path', 'steps', 'pedestrian', 'track', 'bridleway', 'construction', 'proposed', 'abandoned', 'platform', 'raceway', 'bus_guideway', 'busway', 'corridor'])(
    '%s is not a road',
    (highway) => {
      expect(roadClass({ highway })).toBeNull();
    },
  );

  it('admits track and pedestrian ways that allow motor vehicles explicitly', () => {
    expect(roadClass({ highway: 'track', motor_vehicle: 'yes' })).toBe('track');
    expect(roadClass({ highway: 'pedestrian', motorcar: 'destination' })).toBe('pedestrian');
    expect(roadClass({ highway: 'track', access: 'permissive' })).toBe('track');
    expect(roadClass({ highway: 'track', access: 'agricultural' })).toBeNull();
    expect(roadClass({ highway: 'steps', motor_vehicle: 'yes' })).toBeNull();
  });

  it('leaves out roads closed to cars, the most specific access tag deciding', () => {
    expect(roadClass({ highway: 'service', access: 'private' })).toBeNull();
    expect(roadClass({ highway: 'residential', access: 'no' })).toBeNull();
    expect(roadClass({ highway: 'residential', motor_vehicle: 'no' })).toBeNull();
    expect(roadClass({ highway: 'residential', access: 'no', motor_vehicle: 'yes' })).toBe('residential');
    expect(roadClass({ highway: 'residential', access: 'private', motorcar: 'destination' })).toBe('residential');
    expect(roadClass({ highway: 'residential', vehicle: 'yes', motorcar: 'no' })).toBeNull();
    expect(roadClass({ highway: 'service', access: 'destination' })).toBe('service');
    expect(roadClass({ highway: 'service', access: 'unknown' })).toBe('service');
  });

  it('leaves out highway areas and untagged ways', () => {
    expect(roadClass({ highway: 'service', area: 'yes' })).toBeNull();
    expect(roadClass({ building: 'yes' })).toBeNull();
  });

  it('motorAccess is undefined without access tags', () => {
    expect(motorAccess({ highway: 'primary' })).toBeUndefined();
    expect(motorAccess({ access: 'bus' })).toBeUndefined();
  });
});

describe('onewayOf', () => {
  it.each([
    [{ oneway: 'yes' }, 1],
    [{ oneway: 'true' }, 1],
    [{ oneway: '1' }, 1],
    [{ oneway: '-1' }, -1],
    [{ oneway: 'reverse' }, -1],
    [{ oneway: 'no' }, 0],
    [{ oneway: 'false' }, 0],
    [{ oneway: '0' }, 0],
    [{}, 0],
    [{ highway: 'motorway' }, 1],
    [{ highway: 'motorway', oneway: 'no' }, 0],
    [{ highway: 'motorway_link' }, 0],
    [{ highway: 'primary', junction: 'roundabout' }, 1],
    [{ highway: 'primary', junction: 'circular' }, 1],
    [{ highway: 'primary', junction: 'roundabout', oneway: '-1' }, -1],
    [{ oneway: 'reversible' }, null],
    [{ oneway: 'alternating' }, null],
    [{ oneway: 'maybe' }, 0],
    [{ oneway: 'maybe', highway: 'motorway' }, 1],
  ] as const)('%j → %s', (tags, expected) => {
    expect(onewayOf(tags)).toBe(expected);
  });
});

describe('areaFeature', () => {
  it.each([
    [{ natural: 'water' }, 'water', 'water'],
    [{ natural: 'water', water: 'lake' }, 'water', 'lake'],
    [{ waterway: 'riverbank' }, 'water', 'riverbank'],
    [{ water: 'river' }, 'water', 'river'],
    [{ harbour: 'yes' }, 'water', 'harbour'],
    [{ landuse: 'reservoir' }, 'water', 'reservoir'],
    [{ leisure: 'park' }, 'park', 'park'],
    [{ landuse: 'grass' }, 'park', 'grass'],
    [{ landuse: 'forest' }, 'park', 'forest'],
    [{ natural: 'wood' }, 'park', 'wood'],
    [{ landuse: 'residential' }, 'landuse', 'residential'],
    [{ landuse: 'industrial' }, 'landuse', 'industrial'],
    [{ landuse: 'commercial' }, 'landuse', 'commercial'],
    [{ building: 'yes' }, 'building', 'building'],
    [{ building: 'house' }, 'building', 'house'],
    [{ building: 'yes', leisure: 'park' }, 'building', 'building'],
    [{ leisure: 'park', natural: 'water' }, 'water', 'water'],
  ] as const)('%j → %s/%s', (tags, layer, kind) => {
    expect(areaFeature(tags)).toEqual({ layer, kind });
  });

  it.each<Record<string, string>>([{ building: 'no' }, { landuse: 'somethingelse' }, { highway: 'residential' }, { natural: 'water', area: 'no' }, {}])('%j → null', (tags) => {
    expect(areaFeature(tags)).toBeNull();
  });
});

describe('pointFeature', () => {
  it('names places and points of interest', () => {
    expect(pointFeature({ place: 'city', name: 'Baltimore' })).toEqual({ layer: 'place', kind: 'city' });
    expect(pointFeature({ place: 'neighbourhood', name: 'Fells Point' })).toEqual({ layer: 'place', kind: 'neighbourhood' });
    expect(pointFeature({ amenity: 'restaurant', name: 'Chez' })).toEqual({ layer: 'poi', kind: 'restaurant' });
    expect(pointFeature({ shop: 'bakery', name: 'B' })).toEqual({ layer: 'poi', kind: 'bakery' });
    expect(pointFeature({ shop: 'yes', name: 'B' })).toEqual({ layer: 'poi', kind: 'shop' });
    expect(pointFeature({ tourism: 'museum', name: 'M' })).toEqual({ layer: 'poi', kind: 'museum' });
  });

  it('skips unnamed points and other places', () => {
    expect(pointFeature({ place: 'city' })).toBeNull();
    expect(pointFeature({ amenity: 'bench' })).toBeNull();
    expect(pointFeature({ place: 'island', name: 'I' })).toBeNull();
    expect(pointFeature({ highway: 'traffic_signals', name: 'x' })).toBeNull();
  });
});

describe('addressOf', () => {
  it('needs a housenumber and a street', () => {
    expect(addressOf({ 'addr:housenumber': '12', 'addr:street': 'Main St', 'addr:postcode': '21201', 'addr:city': 'Baltimore', name: 'Shop' })).toEqual({
      housenumber: '12', street: 'Main St', postcode: '21201', city: 'Baltimore', name: 'Shop',
    });
    expect(addressOf({ 'addr:housenumber': '12', 'addr:street': 'Main St' })).toEqual({ housenumber: '12', street: 'Main St', postcode: null, city: null, name: null });
    expect(addressOf({ 'addr:housenumber': '12' })).toBeNull();
    expect(addressOf({ 'addr:street': 'Main St' })).toBeNull();
  });
});
