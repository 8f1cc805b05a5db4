import { FENCE_TYPE_LABEL } from '@/server/protocol/alert-rules';
import { GEOFENCE_TYPES, SEVERITIES, type GeofenceDto } from '@/server/protocol/geofences';

/**
 * THE list of a fence's properties in the editor form: what the geofence API accepts, in order,
 * with the kinds each field applies to. The form renders from this list and sends the values
 * inside `properties`; adapting the form to a protocol change means editing this file only.
 */

export const FENCE_KINDS = ['static', 'dynamic', 'temporal', 'conditional', 'predictive'] as const;
export type FenceKind = (typeof FENCE_KINDS)[number];
export const SCHEDULE_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface ScheduleValue {
  timezone: string;
  windows: Array<{ days: string[]; start: string; end: string }>;
}

/** Readable names of the enum values the form offers (the values stay what the API takes). */
export const FENCE_KIND_LABEL: Readonly<Record<string, string>> = {
  static: 'Fixed shape',
  dynamic: 'Follows a vehicle',
  temporal: 'On a schedule',
  conditional: 'With a rule',
  predictive: 'Predicts entries',
};
export const SEVERITY_LABEL: Readonly<Record<string, string>> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

type Input =
  | { input: 'text' }
  | { input: 'select'; options: readonly string[]; optional?: string; labels?: Readonly<Record<string, string>> }
  | { input: 'checkbox' }
  | { input: 'number'; unit?: string; step?: number }
  | { input: 'vehicle' }
  | { input: 'schedule' }
  | { input: 'json' };

export type GeofenceField = Input & {
  key: string;
  label: string;
  help?: string;
  /** Kinds the field applies to; every kind when absent. */
  kinds?: readonly FenceKind[];
};

export const GEOFENCE_FIELDS: readonly GeofenceField[] = [
  { key: 'name', label: 'Name', input: 'text' },
  { key: 'type', label: 'Type', input: 'select', options: GEOFENCE_TYPES, labels: FENCE_TYPE_LABEL },
  { key: 'kind', label: 'Kind', input: 'select', options: FENCE_KINDS, labels: FENCE_KIND_LABEL, help: 'How the fence is evaluated.' },
  { key: 'severity', label: 'Alert severity', input: 'select', options: SEVERITIES, labels: SEVERITY_LABEL, optional: 'Default (high for restricted zones)' },
  { key: 'alertOnEntry', label: 'Alert on entry', input: 'checkbox' },
  { key: 'alertOnExit', label: 'Alert on exit', input: 'checkbox' },
  { key: 'hysteresisMeters', label: 'Hysteresis', input: 'number', unit: 'm', help: 'Buffer before an exit counts.' },
  { key: 'dwellSeconds', label: 'Dwell time', input: 'number', unit: 's', help: 'Time inside before an entry counts.' },
  { key: 'maxAccuracyMeters', label: 'Max position accuracy', input: 'number', unit: 'm', help: 'Less accurate positions are ignored.' },
  { key: 'followVehicleId', label: 'Follow vehicle', input: 'vehicle', kinds: ['dynamic'], help: 'The fence moves with this vehicle.' },
  { key: 'schedule', label: 'Schedule', input: 'schedule', kinds: ['temporal'], help: 'Active only in these weekly windows.' },
  { key: 'rule', label: 'Condition (JSON Logic)', input: 'json', kinds: ['conditional'], help: 'e.g. {">": [{"var": "speed"}, 50]}' },
  { key: 'timezone', label: 'Rule time zone', input: 'text', kinds: ['conditional'], help: 'Where localTime and dayOfWeek are read, e.g. Europe/Berlin (default UTC).' },
  { key: 'windowMinutes', label: 'Prediction window', input: 'number', unit: 'min', kinds: ['predictive'] },
  { key: 'confidenceThreshold', label: 'Confidence threshold', input: 'number', step: 0.05, kinds: ['predictive'], help: '0 to 1.' },
];

export type FormValues = Record<string, unknown>;

export const appliesTo = (field: GeofenceField, kind: string) => !field.kinds || field.kinds.includes(kind as FenceKind);

function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** Form values of a stored fence, or of a new one (empty numbers: the server's defaults). */
export function valuesOf(fence: GeofenceDto | null): FormValues {
  const p = (fence?.properties ?? {}) as unknown as Record<string, unknown>;
  const values: FormValues = {};
  for (const field of GEOFENCE_FIELDS) {
    const stored = p[field.key];
    switch (field.input) {
      case 'checkbox':
        values[field.key] = typeof stored === 'boolean' ? stored : true;
        break;
      case 'number':
        values[field.key] = typeof stored === 'number' ? String(stored) : '';
        break;
      case 'schedule':
        values[field.key] = (stored as ScheduleValue | undefined) ?? { timezone: browserTimezone(), windows: [] };
        break;
      case 'json':
        values[field.key] = stored === undefined ? '' : JSON.stringify(stored, null, 2);
        break;
      default:
        values[field.key] = typeof stored === 'string' ? stored : field.key === 'type' ? 'CUSTOM' : field.key === 'kind' ? 'static' : '';
    }
  }
  return values;
}

/**
 * The `properties` to send for the form's values (only the fields of the chosen kind; empty
 * numbers and selects left to the server's defaults), or the fields the browser can already
 * tell are wrong.
 */
export function propertiesOf(values: FormValues): { properties: Record<string, unknown>; errors: Record<string, string> } {
  const kind = String(values.kind ?? 'static');
  const properties: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of GEOFENCE_FIELDS) {
    if (!appliesTo(field, kind)) continue;
    const value = values[field.key];
    switch (field.input) {
      case 'checkbox':
        properties[field.key] = Boolean(value);
        break;
      case 'number': {
        const text = String(value ?? '').trim();
        if (text === '') break;
        const n = Number(text);
        if (Number.isFinite(n)) properties[field.key] = n;
        else errors[field.key] = 'Enter a number, e.g. 10';
        break;
      }
      case 'json': {
        const text = String(value ?? '').trim();
        if (text === '') break;
        try {
          properties[field.key] = JSON.parse(text);
        } catch {
          errors[field.key] = 'Write the rule as JSON, e.g. {"<": [{"var": "speed"}, 30]}';
        }
        break;
      }
      case 'schedule':
        properties[field.key] = value;
        break;
      default:
        if (String(value ?? '') !== '') properties[field.key] = value;
    }
  }
  if (String(values.name ?? '').trim() === '') errors.name = 'Enter a name';
  return { properties, errors };
}

/**
 * The form's problems in one sentence for the top of the form (each is also shown at its field),
 * in the order of the form: "Please fix 2 fields: Name (Enter a name), Dwell time (Enter a number, e.g. 10)."
 */
export function errorSummary(errors: Record<string, string>): string {
  const fields = GEOFENCE_FIELDS.filter((f) => errors[f.key]);
  const parts = fields.map((f) => `${f.label} (${errors[f.key]})`);
  return `Please fix ${fields.length === 1 ? 'this field' : `${fields.length} fields`}: ${parts.join(', ')}.`;
}

/** The form field a server error names (`properties.schedule.windows.0.start` → `schedule`), if it is one. */
export function fieldOfError(field: string | undefined): string | null {
  const match = /^properties\.([^.]+)/.exec(field ?? '');
  return match ? match[1]! : null;
}
