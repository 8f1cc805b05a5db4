import { ALERT_TYPE_LABEL } from '../protocol/alert-rules';
import type { AlertDto } from '../protocol/alerts';

/**
 * Alerts as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line
 * break quoted, quotes doubled), one header row, readable labels. A cell a spreadsheet would run
 * as a formula (starting with =, +, -, @, tab or carriage return) gets a leading apostrophe, so
 * a fence named "=HYPERLINK(…)" stays text.
 */
export const ALERT_CSV_COLUMNS = ['Raised at', 'Happened at', 'Type', 'Severity', 'Message', 'Vehicle', 'Vehicle id', 'Fence', 'Fence id', 'Read at', 'Acknowledged at', 'Acknowledged by', 'Alert id'] as const;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function alertsCsv(alerts: readonly AlertDto[], names: { vehicle: (id: string) => string | undefined; user: (id: string) => string | undefined }): string {
  const SEVERITY = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' } as const;
  const lines = [ALERT_CSV_COLUMNS.map(csvCell).join(',')];
  for (const a of alerts) {
    const fenceName = typeof a.details.fenceName === 'string' ? a.details.fenceName : null;
    lines.push(
      [
        a.createdAt,
        a.at,
        ALERT_TYPE_LABEL[a.type],
        SEVERITY[a.severity],
        a.message,
        a.vehicleId ? (names.vehicle(a.vehicleId) ?? '') : '',
        a.vehicleId,
        a.geofenceId ? fenceName : null,
        a.geofenceId,
        a.readAt,
        a.acknowledgedAt,
        a.acknowledgedBy ? (names.user(a.acknowledgedBy) ?? a.acknowledgedBy) : null,
        a.id,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
