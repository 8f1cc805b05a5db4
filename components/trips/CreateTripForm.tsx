'use client';

import dynamic from 'next/dynamic';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { PickedPlace } from '@/components/map/MapPickDialog';
import { PlaceSearch } from '@/components/map/PlaceSearch';
import type { GeocodeResultDto } from '@/server/protocol/geocode';
import { useVehicles } from '@/components/ui/list-queries';
import { FieldProblem, INVALID_INPUT } from '@/components/ui/FieldProblem';
import { serverFieldError } from '@/components/ui/form-errors';
import { matchesNameOrPlate } from '@/components/ui/vehicle-match';
import type { TripDto, TripPointInput } from '@/server/protocol/trips';
import { parseLatLng } from './lat-lng';
import { useCreateTrip, useDrivers } from './trip-api';

const INPUT = 'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500';
const LABEL = 'block text-xs font-medium text-slate-600';
const MapPickDialog = dynamic(() => import('@/components/map/MapPickDialog'), { ssr: false });

/** The form's fields a problem can be shown at; anything else shows above the button. */
const FIELDS = ['vehicleId', 'driverId', 'pickup', 'dropoff'] as const;
type Field = (typeof FIELDS)[number];
type Problems = Partial<Record<Field, string>>;

/**
 * A trip point: found by the address search over the tenant's map or picked on a map (either
 * fills the place name and the coordinates), or typed as "latitude, longitude" where neither fits.
 */
function PointFields({ name, title, problem, onEdit }: { name: 'pickup' | 'dropoff'; title: string; problem?: string; onEdit: () => void }) {
  const label = useRef<HTMLInputElement>(null);
  const latLng = useRef<HTMLInputElement>(null);
  const [picking, setPicking] = useState<{ lng: number; lat: number } | null | false>(false);
  const problemId = useId();
  const choose = (hit: GeocodeResultDto | PickedPlace) => {
    if (label.current) label.current.value = hit.label;
    if (latLng.current) latLng.current.value = `${hit.lat.toFixed(6)}, ${hit.lng.toFixed(6)}`;
    onEdit();
  };
  const openPicker = () => {
    const current = parseLatLng(latLng.current?.value ?? '');
    setPicking(typeof current === 'string' ? null : current);
  };
  // min-w-0: a fieldset is as wide as its content by default, which pushed the fields out of the side panel.
  return (
    <fieldset className="min-w-0 space-y-2" onChange={onEdit}>
      <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</legend>
      <div className="flex items-center gap-2">
        <div className="min-w-0 flex-1" data-testid={`${name}-search`}>
          <PlaceSearch map={null} variant="light" onChoose={choose} width="w-full" />
        </div>
        <button
          type="button"
          onClick={openPicker}
          className="shrink-0 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50"
          aria-label={`Pick the ${name} on the map`}
          title="Pick on the map"
          data-testid={`${name}-map-pick`}
        >
          Map
        </button>
      </div>
      {picking !== false && (
        <MapPickDialog
          title={`${title}: click the map where it is`}
          initial={picking}
          onClose={() => setPicking(false)}
          onPick={(place) => {
            setPicking(false);
            choose(place);
          }}
        />
      )}
      <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] gap-2">
        <label className={LABEL}>
          Place name
          <input ref={label} name={`${name}Label`} className={INPUT} placeholder="from the search, or your own" maxLength={200} />
        </label>
        <label className={LABEL}>
          Latitude, longitude
          <input
            ref={latLng}
            name={`${name}LatLng`}
            className={`${INPUT} ${problem ? INVALID_INPUT : ''}`}
            placeholder="from the search"
            required
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            data-testid={`${name}-latlng`}
          />
        </label>
      </div>
      <FieldProblem id={problemId} text={problem} testId={`${name}-error`} />
    </fieldset>
  );
}

/** The select's first line: what the list holds, or why it holds nothing. */
function vehiclePrompt(vehicles: ReturnType<typeof useVehicles>, shown: number, filter: string): string {
  if (vehicles.isPending) return 'Loading…';
  if (vehicles.isError) return 'Could not load vehicles';
  if (shown === 0) return `No vehicle matches “${filter.trim()}”`;
  return filter.trim() ? `Choose… (${shown} of ${vehicles.data?.length ?? 0})` : 'Choose…';
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
  const [problems, setProblems] = useState<Problems>({});
  const [vehicleFilter, setVehicleFilter] = useState('');
  const vehicleSelectId = useId();
  const vehicleProblemId = useId();
  const edited = (field: Field) => {
    if (problems[field]) setProblems(({ [field]: _, ...rest }) => rest);
    if (create.error) create.reset();
  };
  const shownVehicles = (vehicles.data ?? []).filter((v) => matchesNameOrPlate(vehicleFilter, v));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (key: string) => String(data.get(key) ?? '').trim();
    const point = (name: 'pickup' | 'dropoff'): TripPointInput | string => {
      if (!text(`${name}LatLng`)) return 'Search an address, or enter "latitude, longitude".';
      const at = parseLatLng(text(`${name}LatLng`));
      return typeof at === 'string' ? capitalize(at) : { ...at, label: text(`${name}Label`) || null };
    };
    const pickup = point('pickup');
    const dropoff = point('dropoff');
    const vehicle = vehicleId ?? text('vehicleId');
    // Every problem at once, each at its field.
    const found: Problems = {};
    if (!vehicle) found.vehicleId = 'Choose a vehicle.';
    if (typeof pickup === 'string') found.pickup = pickup;
    if (typeof dropoff === 'string') found.dropoff = dropoff;
    setProblems(found);
    if (typeof pickup === 'string' || typeof dropoff === 'string' || !vehicle) return;
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

  // A refusal naming one of the fields (e.g. `pickup.lng`) shows there; any other above the button.
  const refusal = serverFieldError(create.error, vehicleId ? FIELDS.filter((f) => f !== 'vehicleId') : FIELDS);
  const shown: Problems = refusal?.field ? { ...problems, [refusal.field]: problems[refusal.field as Field] ?? refusal.message } : problems;
  const error = refusal && !refusal.field ? refusal.message : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="New trip" data-testid="create-trip-form">
      <div className="space-y-2">
        {!vehicleId && (
          <div className={`${LABEL} grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] gap-x-2 gap-y-1`}>
            <label htmlFor={vehicleSelectId} className="col-span-2">
              Vehicle
            </label>
            <input
              type="search"
              value={vehicleFilter}
              onChange={(e) => setVehicleFilter(e.target.value)}
              className={INPUT}
              placeholder="Find by name or plate"
              aria-label="Find a vehicle by name or plate"
              data-testid="trip-vehicle-filter"
            />
            <select
              id={vehicleSelectId}
              name="vehicleId"
              className={`${INPUT} ${shown.vehicleId ? INVALID_INPUT : ''}`}
              required
              defaultValue=""
              aria-invalid={shown.vehicleId ? true : undefined}
              aria-describedby={shown.vehicleId ? vehicleProblemId : undefined}
              onChange={() => edited('vehicleId')}
              data-testid="trip-vehicle"
              disabled={vehicles.isPending}
            >
              <option value="" disabled>
                {vehiclePrompt(vehicles, shownVehicles.length, vehicleFilter)}
              </option>
              {shownVehicles.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                  {v.plate ? ` · ${v.plate}` : ''}
                </option>
              ))}
            </select>
            <div className="col-span-2">
              <FieldProblem id={vehicleProblemId} text={shown.vehicleId} testId="trip-vehicle-error" />
            </div>
          </div>
        )}
        <label className={LABEL}>
          Driver
          <select
            name="driverId"
            className={`${INPUT} ${shown.driverId ? INVALID_INPUT : ''}`}
            defaultValue=""
            aria-invalid={shown.driverId ? true : undefined}
            onChange={() => edited('driverId')}
            data-testid="trip-driver"
          >
            <option value="">The vehicle’s driver</option>
            {drivers.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <FieldProblem id={`${vehicleProblemId}-driver`} text={shown.driverId} testId="trip-driver-error" />
      </div>
      <PointFields name="pickup" title="Pickup" problem={shown.pickup} onEdit={() => edited('pickup')} />
      <PointFields name="dropoff" title="Dropoff" problem={shown.dropoff} onEdit={() => edited('dropoff')} />
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

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
