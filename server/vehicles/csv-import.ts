import { VEHICLE_CSV_COLUMNS, type ImportRowError } from '../protocol/admin';
import { createVehicleRequest, type CreateVehicleRequest } from '../protocol/vehicles';

/**
 * Bulk vehicle import from CSV (admin console): a pure core that parses the file and checks every
 * row, so the caller can refuse the whole file, naming each bad row and column, before anything
 * is written. Rows are numbered as a spreadsheet shows them: the header is row 1.
 */

/** RFC 4180 CSV: quoted fields with "" escapes and line breaks, CRLF or LF, `,` or `;` separators. */
export function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const separator = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** What the import needs to know about the tenant: its drivers and the device ids in use. */
export interface ImportContext {
  /** Driver users by lower-case email → id. */
  drivers: ReadonlyMap<string, string>;
  /** Drivers already driving a vehicle (id → vehicle name). */
  assignedDrivers: ReadonlyMap<string, string>;
  /** Device ids of the tenant's vehicles. */
  deviceIds: ReadonlySet<string>;
}

export type ImportResult = { ok: true; vehicles: CreateVehicleRequest[] } | { ok: false; errors: ImportRowError[] };

const MAX_ROWS = 1000;
const COLUMN_ALIASES: Record<string, (typeof VEHICLE_CSV_COLUMNS)[number]> = Object.fromEntries(
  VEHICLE_CSV_COLUMNS.flatMap((c) => [
    [c.toLowerCase(), c],
    [c.replace(/([A-Z])/g, '_$1').toLowerCase(), c],
    [c.replace(/([A-Z])/g, ' $1').toLowerCase(), c],
  ]),
);
const YES = new Set(['1', 'true', 'yes', 'on', 'y']);
const NO = new Set(['0', 'false', 'no', 'off', 'n']);

/** Checks every row; all or nothing: any error refuses the file. */
export function validateVehicleCsv(text: string, context: ImportContext): ImportResult {
  const rows = parseCsv(text).filter((r) => r.some((cell) => cell.trim() !== ''));
  const errors: ImportRowError[] = [];
  const header = rows[0];
  if (!header) return { ok: false, errors: [{ row: 1, column: 'name', message: 'The file is empty: it needs a header row (name, deviceId, …) and one row per vehicle.' }] };
  const columns = header.map((h) => COLUMN_ALIASES[h.trim().toLowerCase()] ?? null);
  header.forEach((h, i) => {
    if (!columns[i] && h.trim() !== '') errors.push({ row: 1, column: h.trim(), message: `Unknown column "${h.trim()}". Columns: ${VEHICLE_CSV_COLUMNS.join(', ')}.` });
  });
  for (const required of ['name', 'deviceId'] as const) {
    if (!columns.includes(required)) errors.push({ row: 1, column: required, message: `The header has no ${required} column.` });
  }
  if (rows.length === 1) errors.push({ row: 2, column: 'name', message: 'The file has a header but no vehicles.' });
  if (rows.length - 1 > MAX_ROWS) errors.push({ row: MAX_ROWS + 2, column: 'name', message: `At most ${MAX_ROWS} vehicles per file.` });
  if (errors.length > 0) return { ok: false, errors };

  const vehicles: CreateVehicleRequest[] = [];
  const seenDevices = new Map<string, number>();
  const seenDrivers = new Map<string, number>();
  rows.slice(1).forEach((cells, index) => {
    const row = index + 2;
    const cell = (name: (typeof VEHICLE_CSV_COLUMNS)[number]): string => {
      const at = columns.indexOf(name);
      return at < 0 ? '' : (cells[at] ?? '').trim();
    };
    const fail = (column: string, message: string) => errors.push({ row, column, message });
    const attributes: Record<string, unknown> = {};
    const speed = cell('speedLimitKmh');
    if (speed) {
      const kmh = Number(speed.replace(',', '.'));
      if (!Number.isFinite(kmh) || kmh <= 0 || kmh > 300) fail('speedLimitKmh', `"${speed}" is not a speed limit: enter km/h between 1 and 300, or leave it empty.`);
      else attributes.speedLimitKmh = kmh;
    }
    const capabilities = cell('capabilities');
    if (capabilities) attributes.capabilities = capabilities.split(/[|,]/).map((c) => c.trim()).filter(Boolean);
    let receptionEnabled = true;
    const reception = cell('receptionEnabled').toLowerCase();
    if (reception) {
      if (YES.has(reception)) receptionEnabled = true;
      else if (NO.has(reception)) receptionEnabled = false;
      else fail('receptionEnabled', `"${cell('receptionEnabled')}" is not yes or no.`);
    }
    let driverId: string | null = null;
    const email = cell('driverEmail').toLowerCase();
    if (email) {
      const id = context.drivers.get(email);
      if (!id) fail('driverEmail', `No driver with the email ${email} in this tenant: create the driver first.`);
      else if (context.assignedDrivers.has(id)) fail('driverEmail', `${email} already drives ${context.assignedDrivers.get(id)}.`);
      else if (seenDrivers.has(id)) fail('driverEmail', `${email} is also given to row ${seenDrivers.get(id)}; a driver drives one vehicle.`);
      else {
        seenDrivers.set(id, row);
        driverId = id;
      }
    }
    const input = {
      name: cell('name'),
      deviceId: cell('deviceId'),
      plate: cell('plate') || null,
      type: (cell('type') || 'van').toLowerCase(),
      groupName: cell('group') || null,
      driverId,
      receptionEnabled,
      attributes,
    };
    const parsed = createVehicleRequest.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'name');
        const column = field === 'groupName' ? 'group' : field;
        fail(column, plainMessage(column, issue.message, cell(column as (typeof VEHICLE_CSV_COLUMNS)[number])));
      }
      return;
    }
    const deviceId = parsed.data.deviceId;
    if (context.deviceIds.has(deviceId)) fail('deviceId', `A vehicle with device identifier ${deviceId} already exists.`);
    else if (seenDevices.has(deviceId)) fail('deviceId', `Device identifier ${deviceId} is also in row ${seenDevices.get(deviceId)}.`);
    seenDevices.set(deviceId, seenDevices.get(deviceId) ?? row);
    vehicles.push(parsed.data);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, vehicles };
}

function plainMessage(column: string, message: string, value: string): string {
  if (message === 'is required' || (value === '' && column !== 'type')) return `Enter a ${column === 'deviceId' ? 'device identifier' : column}.`;
  if (column === 'type') return `"${value}" is not a vehicle type: use car, van, truck, bus, motorcycle, bicycle or other.`;
  if (column === 'deviceId') return `"${value}" is not a device identifier: letters, digits and . _ : - only, at most 64.`;
  return `${column}: ${message}`;
}
