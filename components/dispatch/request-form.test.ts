import { describe, expect, it } from 'vitest';
import { requestProblems } from './request-form';

const place = { lng: -76.6, lat: 39.28, label: 'Pratt Street', source: 'address' };
const service = { kind: 'service', serviceType: 'Chilled delivery', capabilities: [], capacity: null, notes: null, priority: 'normal', location: place };

describe('requestProblems', () => {
  it('finds nothing in a complete request', () => {
    expect(requestProblems(service)).toEqual({});
  });

  it('names every missing field at once, in the form’s words', () => {
    const { location: _, ...noPlace } = service;
    expect(requestProblems({ ...noPlace, serviceType: '  ' })).toEqual({
      location: 'Search an address or pick a point on the map.',
      serviceType: 'Say what is needed (e.g. chilled delivery).',
    });
  });

  it('checks each kind’s own fields with the server’s schema', () => {
    const emergency = { ...service, kind: 'emergency', emergencyType: 'medical', severity: 9 };
    delete (emergency as Record<string, unknown>).priority;
    expect(Object.keys(requestProblems(emergency))).toEqual(['severity']);
    expect(requestProblems(emergency).severity).toMatch(/^Severity: .*1 to 5/);
    const scheduled = { ...service, kind: 'scheduled', scheduledTime: '', windowMin: 30 };
    expect(requestProblems(scheduled)).toEqual({ scheduledTime: 'Choose the day and time.' });
    const past = { ...scheduled, scheduledTime: '2020-01-01T09:00:00.000Z', recurrence: 'FREQ=SOMETIMES' };
    const found = requestProblems(past);
    expect(found.scheduledTime).toBe('When: must be in the future.');
    expect(found.recurrence).toMatch(/^Repeat: /);
  });

  it('refuses a capacity that is not a whole number of seats', () => {
    expect(requestProblems({ ...service, capacity: 2.5 })).toEqual({ capacity: 'Seats / units: must be a whole number.' });
  });
});
