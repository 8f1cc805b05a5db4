import { describe, expect, it } from 'vitest';
import type { AlertDto } from '../protocol/alerts';
import { alertsCsv, csvCell } from './csv';

const alert: AlertDto = {
  id: 'a1', type: 'geofence_violation', severity: 'high', message: 'Van "12", 🚐 entered\nZone A', vehicleId: 'v1', geofenceId: 'g1',
  at: '2026-12-07T10:00:00.000Z', position: null, details: { fenceName: '=HYPERLINK("x")' }, readAt: null, acknowledgedAt: '2026-12-07T10:05:00.000Z',
  acknowledgedBy: 'u1', expiresAt: '2026-12-08T10:00:00.000Z', createdAt: '2026-12-07T10:00:01.000Z',
};

describe('alerts as CSV', () => {
  it('quotes commas, quotes and line breaks, and keeps formulas as text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(null)).toBe('');
  });

  it('one header row and one row per alert with readable labels and names', () => {
    const csv = alertsCsv([alert], { vehicle: (id) => (id === 'v1' ? 'Zoë’s Van 🚐' : undefined), user: (id) => (id === 'u1' ? 'Mia Manager' : undefined) });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('Raised at,Happened at,Type,Severity,Message,Vehicle,Vehicle id,Fence,Fence id,Read at,Acknowledged at,Acknowledged by,Alert id');
    expect(csv).toContain('2026-12-07T10:00:01.000Z,2026-12-07T10:00:00.000Z,Geofence,High,"Van ""12"", 🚐 entered\nZone A",Zoë’s Van 🚐,v1,"\'=HYPERLINK(""x"")",g1,,2026-12-07T10:05:00.000Z,Mia Manager,a1\r\n');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
