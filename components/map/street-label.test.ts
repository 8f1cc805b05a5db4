import { describe, expect, it } from 'vitest';
import { angleBetween, boundOf, metersBetween, streetLabel, travelBearing } from './street-label';

const street = (bearing: number, oneway = false, name: string | null = 'Pratt St') => ({
  label: name,
  address: null,
  street: { name, ref: null, class: 'secondary', lng: 0, lat: 0, distanceM: 3, bearing, oneway },
});

describe('street label', () => {
  it('names the four bounds', () => {
    expect([0, 44, 46, 90, 180, 269, 315, 359].map(boundOf)).toEqual(['northbound', 'northbound', 'eastbound', 'eastbound', 'southbound', 'westbound', 'northbound', 'northbound']);
    expect(angleBetween(350, 10)).toBe(20);
  });

  it('takes the street direction closer to the heading on two-way streets, the one-way direction otherwise', () => {
    expect(travelBearing({ bearing: 90, oneway: false }, 100)).toBe(90);
    expect(travelBearing({ bearing: 90, oneway: false }, 260)).toBe(270);
    expect(travelBearing({ bearing: 90, oneway: false }, null)).toBeNull();
    expect(travelBearing({ bearing: 270, oneway: true }, 90)).toBe(270);
  });

  it('labels "Pratt St, eastbound", the bare name without a direction, nothing off the streets', () => {
    expect(streetLabel(street(88), 80)).toBe('Pratt St, eastbound');
    expect(streetLabel(street(88), 250)).toBe('Pratt St, westbound');
    expect(streetLabel(street(88), null)).toBe('Pratt St');
    expect(streetLabel(street(0, true, null), null)).toBe('Unnamed road, northbound');
    expect(streetLabel({ label: null, address: null, street: null }, 90)).toBeNull();
  });

  it('measures small distances in meters', () => {
    expect(metersBetween(-76.6, 39.29, -76.6, 39.2903)).toBeCloseTo(33.4, 0);
  });
});
