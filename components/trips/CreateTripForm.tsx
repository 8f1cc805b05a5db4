'use client';

import { useState, type FormEvent } from 'react';
import { useVehicles } from '@/components/ui/list-queries';
import type { TripDto, TripPointInput } from '@/server/protocol/trips';
import { parseLatLng } from './lat-lng';
import { useCreateTrip, useDrivers } from './trip-api';

const INPUT = 'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500';
const LABEL = 'block text-xs font-medium text-slate-600';

function PointFields({ name, title }: { name: 'pickup' | 'dropoff'; title: string }) {
  return (
    <fieldset className="grid grid-cols-2 gap-2">
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</legend>
      <label className={LABEL}>
        Place
        <input name={`${name}Label`} className={INPUT} placeholder="Address or name" maxLength={200} />
      </label>
      <label className={LABEL}>
        Latitude, longitude
        <input name={`${name}LatLng`} className={INPUT} placeholder="52.5200, 13.4050" required data-testid={`${name}-latlng`} />
      </label>
    </fieldset>
  );
}

/**
 * Creates a trip (admins and managers). With `vehicleId` the vehicle is fixed (the vehicle
 * panel); otherwise it is chosen from the tenant's vehicles. The driver defaults to the
 * vehicle's assigned one.
 */
export function CreateTripForm({ vehicleId, onCreated }: { vehicleId?: string; onCreated?: (trip: TripDto) => void }) {
  const create = useCreateTrip();
  const vehicles = useVehicles();
  const drivers = useDrivers();
  const [formError, setFormError] = useState<string | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (key: string) => String(data.get(key) ?? '').trim();
    const point = (name: 'pickup' | 'dropoff', title: string): TripPointInput | string => {
      const at = parseLatLng(text(`${name}LatLng`));
      return typeof at === 'string' ? `${title}: ${at}` : { ...at, label: text(`${name}Label`) || null };
    };
    const pickup = point('pickup', 'Pickup');
    const dropoff = point('dropoff', 'Dropoff');
    const vehicle = vehicleId ?? text('vehicleId');
    const problem = typeof pickup === 'string' ? pickup : typeof dropoff === 'string' ? dropoff : !vehicle ? 'Choose a vehicle.' : null;
    setFormError(problem);
    if (problem || typeof pickup === 'string' || typeof dropoff === 'string') return;
    create.mutate(
      { vehicleId: vehicle, driverId: text('driverId') || null, pickup, dropoff },
      {
        onSuccess: (trip) => {
          form.reset();
          onCreated?.(trip);
        },
      },
    );
  };

  const error = formError ?? create.error?.message ?? null;
  return (
    <form onSubmit={submit} className="space-y-3" aria-label="New trip" data-testid="create-trip-form">
      <div className={`grid gap-2 ${vehicleId ? 'grid-cols-1' : 'grid-cols-2'}`}>
        {!vehicleId && (
          <label className={LABEL}>
            Vehicle
            <select name="vehicleId" className={INPUT} required defaultValue="" data-testid="trip-vehicle" disabled={vehicles.isPending}>
              <option value="" disabled>
                {vehicles.isPending ? 'Loading…' : vehicles.isError ? 'Could not load vehicles' : 'Choose…'}
              </option>
              {vehicles.data?.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                  {v.plate ? ` · ${v.plate}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className={LABEL}>
          Driver
          <select name="driverId" className={INPUT} defaultValue="" data-testid="trip-driver">
            <option value="">The vehicle’s driver</option>
            {drivers.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PointFields name="pickup" title="Pickup" />
      <PointFields name="dropoff" title="Dropoff" />
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="create-trip-error">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={create.isPending}
        className="w-full rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
      >
        {create.isPending ? 'Creating…' : 'Create trip'}
      </button>
    </form>
  );
}
