import { describe, expect, it } from 'vitest';
import { errorSummary, fieldOfError, GEOFENCE_FIELDS, propertiesOf, valuesOf } from './geofence-fields';

describe('geofence form fields', () => {
  it('a new fence leaves numbers and severity to the server defaults', () => {
    const { properties, errors } = propertiesOf({ ...valuesOf(null), name: 'Yard' });
    expect(errors).toEqual({});
    expect(properties).toEqual({ name: 'Yard', type: 'CUSTOM', kind: 'static', alertOnEntry: true, alertOnExit: true });
  });

  it('sends only the fields of the chosen kind', () => {
    const values = { ...valuesOf(null), name: 'x', windowMinutes: '10', confidenceThreshold: '0.7', followVehicleId: 'v1', rule: '{"<": [1, 2]}' };
    expect(propertiesOf({ ...values, kind: 'predictive' }).properties).toMatchObject({ windowMinutes: 10, confidenceThreshold: 0.7 });
    expect(propertiesOf({ ...values, kind: 'predictive' }).properties).not.toHaveProperty('followVehicleId');
    expect(propertiesOf({ ...values, kind: 'dynamic' }).properties).toMatchObject({ followVehicleId: 'v1' });
    expect(propertiesOf({ ...values, kind: 'conditional' }).properties).toMatchObject({ rule: { '<': [1, 2] } });
    expect(propertiesOf({ ...values, kind: 'temporal' }).properties.schedule).toMatchObject({ windows: [] });
    expect(propertiesOf({ ...values, kind: 'static' }).properties).not.toHaveProperty('windowMinutes');
  });

  it('catches what the browser can tell is wrong', () => {
    expect(propertiesOf({ ...valuesOf(null), name: 'x', kind: 'conditional', rule: '{oops' }).errors).toEqual({ rule: 'Write the rule as JSON, e.g. {"<": [{"var": "speed"}, 30]}' });
    expect(propertiesOf({ ...valuesOf(null), name: 'x', hysteresisMeters: 'ten' }).errors).toEqual({ hysteresisMeters: 'Enter a number, e.g. 10' });
  });

  it('every problem at once, in plain words, with a summary in the order of the form', () => {
    const { errors } = propertiesOf({ ...valuesOf(null), name: '  ', dwellSeconds: 'soon', hysteresisMeters: 'ten' });
    expect(errors).toEqual({ name: 'Enter a name', hysteresisMeters: 'Enter a number, e.g. 10', dwellSeconds: 'Enter a number, e.g. 10' });
    expect(errorSummary(errors)).toBe('Please fix 3 fields: Name (Enter a name), Hysteresis (Enter a number, e.g. 10), Dwell time (Enter a number, e.g. 10).');
    expect(errorSummary({ name: 'Enter a name' })).toBe('Please fix this field: Name (Enter a name).');
  });

  it('fills the form from a stored fence and maps server error paths to fields', () => {
    const values = valuesOf({
      type: 'Feature',
      id: 'f',
      geometry: { type: 'Point', coordinates: [13.4, 52.5] },
      properties: { name: 'Gate', type: 'CHECKPOINT', kind: 'static', radius: 50, alertOnEntry: false, alertOnExit: true, severity: 'low', hysteresisMeters: 5, dwellSeconds: 0, maxAccuracyMeters: 100, areaM2: 7850, createdAt: '', updatedAt: '' },
    });
    expect(values).toMatchObject({ name: 'Gate', type: 'CHECKPOINT', alertOnEntry: false, severity: 'low', hysteresisMeters: '5', dwellSeconds: '0' });
    expect(fieldOfError('properties.hysteresisMeters')).toBe('hysteresisMeters');
    expect(fieldOfError('properties.schedule.windows.0.start')).toBe('schedule');
    expect(fieldOfError('geometry.coordinates.0')).toBeNull();
    expect(new Set(GEOFENCE_FIELDS.map((f) => f.key)).size).toBe(GEOFENCE_FIELDS.length);
  });
});
