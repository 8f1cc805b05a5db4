'use client';

import { useState, type FormEvent } from 'react';
import type { PublicUser } from '@/server/protocol/auth';
import { createVehicleRequest, VEHICLE_TYPES, type VehicleDto } from '@/server/protocol/vehicles';
import { useCreateVehicle, useUpdateVehicle } from './admin-api';
import { fieldErrors, serverFieldError, type FieldErrors } from '@/components/ui/form-errors';
import { ErrorSummary, Field, BUTTON, PRIMARY } from './ui';

export const TYPE_LABELS: Record<string, string> = { car: 'Car', van: 'Van', truck: 'Truck', bus: 'Bus', motorcycle: 'Motorcycle', bicycle: 'Bicycle', other: 'Other' };

const LABELS: Record<string, string> = {
  name: 'Name',
  plate: 'Plate',
  type: 'Type',
  deviceId: 'Device identifier',
  groupName: 'Group',
  driverId: 'Driver',
  speedLimitKmh: 'Speed limit',
  capabilities: 'Capabilities',
};
const FIELDS = Object.keys(LABELS);

interface Draft {
  name: string;
  plate: string;
  type: string;
  deviceId: string;
  groupName: string;
  driverId: string;
  speedLimitKmh: string;
  capabilities: string;
  receptionEnabled: boolean;
}

function draftOf(vehicle: VehicleDto | null): Draft {
  const attributes = vehicle?.attributes ?? {};
  const caps = Array.isArray(attributes.capabilities) ? (attributes.capabilities as unknown[]).map(String).join(', ') : '';
  return {
    name: vehicle?.name ?? '',
    plate: vehicle?.plate ?? '',
    type: vehicle?.type ?? 'van',
    deviceId: vehicle?.deviceId ?? '',
    groupName: vehicle?.groupName ?? '',
    driverId: vehicle?.driverId ?? '',
    speedLimitKmh: typeof attributes.speedLimitKmh === 'number' ? String(attributes.speedLimitKmh) : '',
    capabilities: caps,
    receptionEnabled: vehicle?.receptionEnabled ?? true,
  };
}

/**
 * Create or edit a vehicle: every field's problem shown at the field at once, with a summary on
 * top, checked with the server's own schema before sending; the server's answer (a device id in
 * use, a driver who already drives) lands at its field too.
 */
export function VehicleForm({
  vehicle,
  drivers,
  vehicles,
  groups,
  user,
  onDone,
}: {
  vehicle: VehicleDto | null;
  drivers: PublicUser[];
  vehicles: VehicleDto[];
  groups: string[];
  user: PublicUser;
  onDone: (saved: VehicleDto | null) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(vehicle));
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateVehicle();
  const update = useUpdateVehicle();
  const mutation = vehicle ? update : create;
  const server = serverFieldError(mutation.error, FIELDS);
  const shown: FieldErrors = server?.field && !errors[server.field] ? { ...errors, [server.field]: server.message } : errors;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const readOnly = user.role !== 'admin' && user.role !== 'manager';
  // A driver drives one vehicle: those driving another one are not offered.
  const taken = new Map(vehicles.filter((v) => v.driverId && v.id !== vehicle?.id).map((v) => [v.driverId!, v.name]));

  function submit(event: FormEvent) {
    event.preventDefault();
    const attributes: Record<string, unknown> = { ...(vehicle?.attributes ?? {}) };
    const local: FieldErrors = {};
    if (draft.speedLimitKmh.trim()) {
      const kmh = Number(draft.speedLimitKmh.replace(',', '.'));
      if (!Number.isFinite(kmh) || kmh <= 0 || kmh > 300) local.speedLimitKmh = 'Enter a speed limit between 1 and 300 km/h, or leave it empty.';
      else attributes.speedLimitKmh = kmh;
    } else delete attributes.speedLimitKmh;
    const capabilities = draft.capabilities.split(',').map((c) => c.trim()).filter(Boolean);
    if (capabilities.length > 0) attributes.capabilities = capabilities;
    else delete attributes.capabilities;
    const input = {
      name: draft.name,
      plate: draft.plate.trim() || null,
      type: draft.type,
      deviceId: draft.deviceId,
      groupName: draft.groupName.trim() || null,
      driverId: draft.driverId || null,
      receptionEnabled: draft.receptionEnabled,
      attributes,
    };
    const found = { ...fieldErrors(createVehicleRequest, input, LABELS), ...local };
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const done = { onSuccess: (saved: VehicleDto) => onDone(saved) };
    if (vehicle) update.mutate({ id: vehicle.id, patch: input }, done);
    else create.mutate(input, done);
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3 p-4" aria-label={vehicle ? `Edit ${vehicle.name}` : 'New vehicle'} data-testid="vehicle-form">
      <h3 className="text-sm font-semibold">{vehicle ? `Edit ${vehicle.name}` : 'New vehicle'}</h3>
      <ErrorSummary errors={shown} general={server && !server.field ? server.message : null} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" name="name" error={shown.name}>
          {(p) => <input {...p} value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} placeholder="Van 12" disabled={readOnly} />}
        </Field>
        <Field label="Plate" name="plate" error={shown.plate}>
          {(p) => <input {...p} value={draft.plate} onChange={(e) => set({ plate: e.target.value })} maxLength={20} placeholder="B-GF 1234" disabled={readOnly} />}
        </Field>
        <Field label="Type" name="type" error={shown.type}>
          {(p) => (
            <select {...p} value={draft.type} onChange={(e) => set({ type: e.target.value })} disabled={readOnly}>
              {VEHICLE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Device identifier" name="deviceId" error={shown.deviceId} hint="What the phone or tracker reports as its id (letters, digits, . _ : -).">
          {(p) => <input {...p} value={draft.deviceId} onChange={(e) => set({ deviceId: e.target.value })} maxLength={64} placeholder="van-12" disabled={readOnly} />}
        </Field>
        <Field label="Group" name="groupName" error={shown.groupName} hint="For example North depot; a filter on the map and here.">
          {(p) => (
            <>
              <input {...p} list="vehicle-groups" value={draft.groupName} onChange={(e) => set({ groupName: e.target.value })} maxLength={60} disabled={readOnly} />
              <datalist id="vehicle-groups">
                {groups.map((g) => (
                  <option key={g} value={g} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Driver" name="driverId" error={shown.driverId}>
          {(p) => (
            <select {...p} value={draft.driverId} onChange={(e) => set({ driverId: e.target.value })} disabled={readOnly}>
              <option value="">No driver</option>
              {drivers.map((d) => (
                <option key={d.id} value={d.id} disabled={taken.has(d.id) || d.active === false}>
                  {d.name}
                  {taken.has(d.id) ? ` (drives ${taken.get(d.id)})` : d.active === false ? ' (deactivated)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Speed limit (km/h)" name="speedLimitKmh" error={shown.speedLimitKmh} hint="Speed alerts for this vehicle; empty: the fleet's limit.">
          {(p) => <input {...p} inputMode="decimal" value={draft.speedLimitKmh} onChange={(e) => set({ speedLimitKmh: e.target.value })} placeholder="90" disabled={readOnly} />}
        </Field>
        <Field label="Capabilities" name="capabilities" error={shown.capabilities} hint="Comma-separated, for example refrigerated, wheelchair.">
          {(p) => <input {...p} value={draft.capabilities} onChange={(e) => set({ capabilities: e.target.value })} disabled={readOnly} />}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={draft.receptionEnabled} onChange={(e) => set({ receptionEnabled: e.target.checked })} disabled={readOnly} />
        Accept positions from this vehicle
      </label>
      <div className="flex gap-2">
        <button type="submit" className={PRIMARY} disabled={mutation.isPending || readOnly} data-testid="vehicle-save">
          {mutation.isPending ? 'Saving…' : vehicle ? 'Save changes' : 'Create vehicle'}
        </button>
        <button type="button" className={BUTTON} onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
