import { describe, expect, it } from 'vitest';
import type { Departure, VisitRow } from '../db/sql/history';
import type { DomainEvent } from '../protocol/events';
import { addVisits } from './service';

let seq = 0;
const event = (type: string, vehicleId: string, geofenceId: string, at: string): DomainEvent =>
  ({ id: `e${++seq}`, seq, tenantId: 't', type, aggregate: { type: 'vehicle', id: vehicleId }, version: seq, at, actor: { kind: 'device', vehicleId }, data: { geofenceId, geofenceName: `Fence ${geofenceId}`, vehicleId, position: { lng: 0, lat: 0 } } }) as unknown as DomainEvent;

describe('fence visits from entries and exits', () => {
  it('an entry and its exit make one visit with its dwell; other vehicles and fences stay apart', () => {
    const visits: VisitRow[] = [];
    const departures: Departure[] = [];
    addVisits(
      [
        event('geofence.entered', 'a', 'f1', '2026-12-07T08:00:00Z'),
        event('geofence.entered', 'b', 'f1', '2026-12-07T08:01:00Z'),
        event('geofence.entered', 'a', 'f2', '2026-12-07T08:02:00Z'),
        event('geofence.exited', 'a', 'f1', '2026-12-07T08:10:00Z'),
        event('geofence.predicted', 'a', 'f3', '2026-12-07T08:11:00Z'),
      ],
      visits,
      departures,
    );
    expect(visits.map((v) => [v.vehicleId, v.geofenceId, v.departedAt === null ? null : (v.departedAt - v.arrivedAt) / 60_000])).toEqual([
      ['a', 'f1', 10],
      ['b', 'f1', null],
      ['a', 'f2', null],
    ]);
    expect(visits[0]!.geofenceName).toBe('Fence f1');
    expect(departures).toEqual([]);
  });

  it('an exit whose entry was written earlier is a departure; a second entry is a second visit', () => {
    const visits: VisitRow[] = [];
    const departures: Departure[] = [];
    addVisits([event('geofence.exited', 'a', 'f1', '2026-12-07T09:00:00Z')], visits, departures);
    expect(departures).toEqual([{ vehicleId: 'a', geofenceId: 'f1', at: Date.parse('2026-12-07T09:00:00Z') }]);
    addVisits(
      [
        event('geofence.entered', 'a', 'f1', '2026-12-07T10:00:00Z'),
        event('geofence.exited', 'a', 'f1', '2026-12-07T10:05:00Z'),
        event('geofence.entered', 'a', 'f1', '2026-12-07T11:00:00Z'),
        event('geofence.exited', 'a', 'f1', '2026-12-07T11:30:00Z'),
      ],
      visits,
      departures,
    );
    expect(visits.map((v) => (v.departedAt! - v.arrivedAt) / 60_000)).toEqual([5, 30]);
    expect(departures).toHaveLength(1);
  });
});
