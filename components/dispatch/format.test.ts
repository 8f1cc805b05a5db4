import { describe, expect, it } from 'vitest';
import { ageText, candidateLine, distanceText, durationText, navigateLinks, secondsLeft } from './format';

describe('dispatch wording', () => {
  it('says durations and distances the way people read them', () => {
    expect(durationText(40)).toBe('40 s');
    expect(durationText(250)).toBe('4 min');
    expect(durationText(3900)).toBe('1 h 05 min');
    expect(durationText(null)).toBe('—');
    expect(distanceText(849.6)).toBe('850 m');
    expect(distanceText(2412)).toBe('2.4 km');
  });

  it('ages requests and counts down offers', () => {
    const now = Date.parse('2026-12-08T10:00:00Z');
    expect(ageText('2026-12-08T09:59:50Z', now)).toBe('just now');
    expect(ageText('2026-12-08T09:57:00Z', now)).toBe('3 min');
    expect(secondsLeft('2026-12-08T10:00:30.200Z', now)).toBe(31);
    expect(secondsLeft('2026-12-08T09:59:00Z', now)).toBe(0);
  });

  it('opens the phone’s maps app at the pickup', () => {
    const links = navigateLinks({ lng: -76.5905, lat: 39.281, label: 'Thames St & Broadway' });
    expect(links.geo).toBe('geo:39.281000,-76.590500?q=39.281000,-76.590500(Thames%20St%20%26%20Broadway)');
    expect(links.web).toBe('https://www.google.com/maps/dir/?api=1&destination=39.281000,-76.590500&travelmode=driving');
  });

  it('explains a candidate in one line', () => {
    const base = { vehicleId: 'v', vehicleName: 'Van 1', driverId: 'd', factors: { distance: 1, efficiency: 1, utilization: 1, rating: 1, capability: 1, availability: 1 }, score: 0.9 };
    expect(candidateLine({ ...base, etaS: 250, distanceM: 2100, crowM: 1200 })).toBe('ETA 4 min · 2.1 km by road (1.2 km straight)');
    expect(candidateLine({ ...base, etaS: null, distanceM: null, crowM: 300, score: 0, excludedBecause: 'on a trip' })).toBe('Not a candidate: on a trip');
  });
});
