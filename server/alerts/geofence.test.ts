import { describe, expect, it } from 'vitest';
import type { GeofenceDto, GeofenceProperties } from '../protocol/geofences';
import type { LiveVehicle } from '../realtime/live-state';
import { fenceAlertSeverity, geofenceAlerts, lowerSeverity, type FenceCrossing } from './geofence';
import { offlineAlerts, offlineEvents } from './offline';
import type { DomainEvent, NewEvent } from '../protocol/events';

/** New events as the log would hand them to the bus (ids e0, e1, …). */
const appended = (events: NewEvent[]): DomainEvent[] =>
  events.map((e, i) => ({
    id: `e${i}`, seq: i + 1, tenantId: e.tenantId, type: e.type, aggregate: { type: 'vehicle', id: e.aggregateId }, version: 1,
    at: new Date(e.at!).toISOString(), actor: e.actor, correlationId: null, causationId: null, data: e.data,
  }));

const fence = (props: Partial<GeofenceProperties>): GeofenceDto => ({
  type: 'Feature',
  id: 'f1',
  geometry: { type: 'Point', coordinates: [13.4, 52.5] },
  properties: {
    name: 'Airport apron',
    type: 'RESTRICTED_ZONE',
    kind: 'static',
    radius: 100,
    alertOnEntry: true,
    alertOnExit: true,
    severity: 'high',
    hysteresisMeters: 0,
    dwellSeconds: 0,
    maxAccuracyMeters: 100,
    areaM2: 31400,
    createdAt: '',
    updatedAt: '',
    ...props,
  },
});

const event = (type: 'enter' | 'exit' | 'cross', f: GeofenceDto): FenceCrossing => ({
  tenantId: 't1',
  eventId: `e-${type}`,
  fence: f,
  type,
  vehicleId: 'v1',
  at: 1_800_000_000_000,
  position: { lng: 13.41, lat: 52.51 },
});

describe('geofence alerts', () => {
  it('entry and crossing follow alertOnEntry, exit alertOnExit, at the fence severity', () => {
    const both = { alertOnEntry: true, alertOnExit: true, severity: 'critical' as const };
    expect(['enter', 'cross', 'exit'].map((t) => fenceAlertSeverity(t as 'enter', both))).toEqual(['critical', 'critical', 'critical']);
    const entryOnly = { ...both, alertOnExit: false };
    expect(['enter', 'cross', 'exit'].map((t) => fenceAlertSeverity(t as 'enter', entryOnly))).toEqual(['critical', 'critical', null]);
    const exitOnly = { ...both, alertOnEntry: false };
    expect(['enter', 'cross', 'exit', 'predicted_enter'].map((t) => fenceAlertSeverity(t as 'enter', exitOnly))).toEqual([null, null, 'critical', null]);
  });

  it('a predicted entry is one step less severe, never below low', () => {
    expect(['low', 'medium', 'high', 'critical'].map((s) => lowerSeverity(s as 'low'))).toEqual(['low', 'low', 'medium', 'high']);
    expect(fenceAlertSeverity('predicted_enter', { alertOnEntry: true, alertOnExit: false, severity: 'high' })).toBe('medium');
  });

  it('builds the alert with vehicle and fence names, position and details', () => {
    const [alert, ...rest] = geofenceAlerts([event('enter', fence({})), event('exit', fence({ alertOnExit: false }))], (id) => `Van ${id}`);
    expect(rest).toEqual([]);
    expect(alert).toEqual({
      tenantId: 't1',
      type: 'geofence_violation',
      severity: 'high',
      message: 'Van v1 entered Airport apron (restricted zone)',
      vehicleId: 'v1',
      geofenceId: 'f1',
      at: 1_800_000_000_000,
      position: { lng: 13.41, lat: 52.51 },
      details: { event: 'enter', fenceName: 'Airport apron', fenceType: 'RESTRICTED_ZONE' },
      causationId: 'e-enter',
    });
    const custom = geofenceAlerts([event('exit', fence({ type: 'CUSTOM', name: 'Yard', severity: 'low' }))], () => 'Truck 7');
    expect(custom.map((a) => [a.message, a.severity])).toEqual([['Truck 7 left Yard', 'low']]);
  });
});

describe('offline alerts', () => {
  it('one medium alert per vehicle, with where and when it was last seen', () => {
    const now = 1_800_000_200_000;
    const vehicle: LiveVehicle = {
      info: { id: 'v1', idx: 1, name: 'Van 1', plate: null, type: 'van' },
      tenantId: 't1',
      live: { id: 'v1', lng: 13.4, lat: 52.5, speed: 0, heading: null, battery: null, ts: now - 130_000 },
      receivedAt: now - 125_000,
      online: false,
    };
    const never: LiveVehicle = { ...vehicle, info: { ...vehicle.info, id: 'v2', name: 'Van 2' }, live: null, receivedAt: now - 30_000 };
    const alerts = offlineAlerts(appended(offlineEvents([vehicle, never], now)));
    expect(alerts).toEqual([
      {
        tenantId: 't1',
        type: 'vehicle_offline',
        severity: 'medium',
        message: 'Van 1 went offline: no position for 2 min',
        vehicleId: 'v1',
        at: now,
        position: { lng: 13.4, lat: 52.5 },
        details: { lastSeenAt: new Date(now - 125_000).toISOString(), lastPositionAt: new Date(now - 130_000).toISOString() },
        causationId: 'e0',
      },
      expect.objectContaining({ vehicleId: 'v2', message: 'Van 2 went offline: no position for 30 s', position: null }),
    ]);
  });
});
