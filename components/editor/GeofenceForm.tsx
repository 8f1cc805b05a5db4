'use client';

import type { VehicleDto } from '@/server/protocol/vehicles';
import { appliesTo, GEOFENCE_FIELDS, SCHEDULE_DAYS, type FormValues, type GeofenceField, type ScheduleValue } from './geofence-fields';
import { Field, inputClass } from './ui';

/** The properties form of a fence, rendered from GEOFENCE_FIELDS; `disabled` for read-only roles. */
export function GeofenceForm({
  values,
  onChange,
  errors,
  disabled,
  vehicles,
}: {
  values: FormValues;
  onChange: (values: FormValues) => void;
  errors: Record<string, string>;
  disabled: boolean;
  vehicles: VehicleDto[];
}) {
  const kind = String(values.kind ?? 'static');
  const set = (key: string, value: unknown) => onChange({ ...values, [key]: value });
  return (
    <fieldset disabled={disabled} className="space-y-3" data-testid="geofence-form">
      {GEOFENCE_FIELDS.filter((f) => appliesTo(f, kind)).map((field) => (
        <FieldInput key={field.key} field={field} value={values[field.key]} error={errors[field.key]} onChange={(v) => set(field.key, v)} vehicles={vehicles} />
      ))}
    </fieldset>
  );
}

function FieldInput({
  field,
  value,
  error,
  onChange,
  vehicles,
}: {
  field: GeofenceField;
  value: unknown;
  error?: string;
  onChange: (value: unknown) => void;
  vehicles: VehicleDto[];
}) {
  const id = `fence-${field.key}`;
  const invalid = error ? true : undefined;
  if (field.input === 'checkbox') {
    return (
      <div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} className="h-4 w-4 accent-emerald-600" />
          {field.label}
        </label>
        {error && <p className="text-xs text-red-700" data-testid={`error-${id}`} role="alert">{error}</p>}
      </div>
    );
  }
  let control;
  switch (field.input) {
    case 'select':
      control = (
        <select id={id} className={inputClass} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid}>
          {field.optional !== undefined && <option value="">{field.optional}</option>}
          {field.options.map((o) => (
            <option key={o} value={o}>
              {field.labels?.[o] ?? o}
            </option>
          ))}
        </select>
      );
      break;
    case 'number':
      control = (
        <div className="flex items-center gap-2">
          <input id={id} type="number" inputMode="decimal" step={field.step ?? 'any'} className={inputClass} value={String(value ?? '')} placeholder="default" onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} />
          {field.unit && <span className="w-8 text-xs text-slate-500">{field.unit}</span>}
        </div>
      );
      break;
    case 'vehicle':
      control = (
        <select id={id} className={inputClass} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid}>
          <option value="">Choose a vehicle…</option>
          {vehicles.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
              {v.plate ? ` (${v.plate})` : ''}
            </option>
          ))}
        </select>
      );
      break;
    case 'schedule':
      control = <ScheduleInput id={id} value={value as ScheduleValue} onChange={onChange} />;
      break;
    case 'json':
      control = <textarea id={id} rows={4} className={`${inputClass} font-mono text-xs`} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} />;
      break;
    default:
      control = <input id={id} type="text" className={inputClass} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} />;
  }
  return (
    <Field id={id} label={field.label} help={field.help} error={error}>
      {control}
    </Field>
  );
}

/** Time zone and weekly windows (days, start and end as HH:MM). */
function ScheduleInput({ id, value, onChange }: { id: string; value: ScheduleValue; onChange: (value: ScheduleValue) => void }) {
  const setWindow = (i: number, patch: Partial<ScheduleValue['windows'][number]>) =>
    onChange({ ...value, windows: value.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  return (
    <div className="space-y-2 rounded-md border border-slate-200 p-2">
      <input id={id} type="text" className={inputClass} value={value.timezone} placeholder="Time zone, e.g. Europe/Berlin" onChange={(e) => onChange({ ...value, timezone: e.target.value })} />
      {value.windows.map((w, i) => (
        <div key={i} className="space-y-1.5 rounded bg-slate-50 p-2">
          <div className="flex flex-wrap gap-1">
            {SCHEDULE_DAYS.map((day) => {
              const on = w.days.includes(day);
              return (
                <button
                  key={day}
                  type="button"
                  aria-pressed={on}
                  onClick={() => setWindow(i, { days: on ? w.days.filter((d) => d !== day) : [...w.days, day] })}
                  className="rounded border border-slate-300 px-1.5 py-0.5 text-xs capitalize aria-pressed:border-emerald-600 aria-pressed:bg-emerald-600 aria-pressed:text-white"
                >
                  {day}
                </button>
              );
            })}
          </div>
          <div className="flex items-center gap-2 text-xs">
            <input type="time" className={inputClass} value={w.start} onChange={(e) => setWindow(i, { start: e.target.value })} aria-label="Start" />
            <span>to</span>
            <input type="time" className={inputClass} value={w.end} onChange={(e) => setWindow(i, { end: e.target.value })} aria-label="End" />
            <button type="button" className="text-red-700 hover:underline" onClick={() => onChange({ ...value, windows: value.windows.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </div>
        </div>
      ))}
      <button
        type="button"
        className="text-xs font-medium text-emerald-700 hover:underline"
        onClick={() => onChange({ ...value, windows: [...value.windows, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' }] })}
      >
        + Add window
      </button>
    </div>
  );
}
