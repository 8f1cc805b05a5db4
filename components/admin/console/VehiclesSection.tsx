'use client';

import { useMemo, useState } from 'react';
import { StateMessage } from '@/components/ui/StateMessage';
import { relativeTime } from '@/components/ui/relative-time';
import type { PublicUser } from '@/server/protocol/auth';
import { VEHICLE_TYPES, type VehicleDto } from '@/server/protocol/vehicles';
import { AdminShell, ReadOnlyNote } from './AdminShell';
import { useAdminUsers, useAdminVehicles, useDeleteVehicle, useSetVehicleReception } from './admin-api';
import { DeviceSetup } from './DeviceSetup';
import { ImportVehicles } from './ImportVehicles';
import { TYPE_LABELS, VehicleForm } from './VehicleForm';
import { BUTTON, DANGER, Panel, PRIMARY, Switch } from './ui';

/** Search and filter controls side by side (not the form inputs' full width). */
const FILTER = 'rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500';

type Side = { kind: 'create' } | { kind: 'edit'; id: string } | { kind: 'setup'; id: string } | { kind: 'import' } | null;

/** /admin/vehicles: the fleet with search and filters; create, edit, delete, phone setup and CSV import. */
export function VehiclesSection() {
  return <AdminShell section="vehicles">{(user) => <VehiclesScreen user={user} />}</AdminShell>;
}

function VehiclesScreen({ user }: { user: PublicUser }) {
  const vehicles = useAdminVehicles();
  const users = useAdminUsers();
  const [side, setSide] = useState<Side>(null);
  const [query, setQuery] = useState('');
  const [type, setType] = useState('');
  const [group, setGroup] = useState('');
  const [reception, setReception] = useState<'' | 'on' | 'off'>('');
  const isAdmin = user.role === 'admin';

  const list = vehicles.data ?? [];
  const drivers = (users.data ?? []).filter((u) => u.role === 'driver');
  const driverName = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const groups = useMemo(() => [...new Set(list.map((v) => v.groupName).filter((g): g is string => Boolean(g)))].sort(), [list]);
  const q = query.trim().toLowerCase();
  const shown = list.filter(
    (v) =>
      (!q || [v.name, v.plate ?? '', v.deviceId, v.groupName ?? '', driverName.get(v.driverId ?? '') ?? ''].some((s) => s.toLowerCase().includes(q))) &&
      (!type || v.type === type) &&
      (!group || (group === '-' ? !v.groupName : v.groupName === group)) &&
      (!reception || v.receptionEnabled === (reception === 'on')),
  );
  const selected = side && 'id' in side ? list.find((v) => v.id === side.id) ?? null : null;

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_minmax(360px,440px)]">
      <Panel
        title={`Vehicles${vehicles.data ? ` · ${list.length}` : ''}`}
        testId="vehicles-panel"
        aside={
          isAdmin && (
            <div className="flex gap-2">
              <button type="button" className={BUTTON} onClick={() => setSide({ kind: 'import' })} data-testid="open-import">
                Import CSV
              </button>
              <button type="button" className={PRIMARY} onClick={() => setSide({ kind: 'create' })} data-testid="add-vehicle">
                Add vehicle
              </button>
            </div>
          )
        }
      >
        <div className="px-4 pt-3">
          <ReadOnlyNote user={user} what="device tokens, new vehicles and deletions" />
        </div>
        <div className="flex flex-wrap gap-2 px-4 pb-3" role="search">
          <input aria-label="Search vehicles" placeholder="Search name, plate, device, group, driver" className={`${FILTER} w-72 max-w-full`} value={query} onChange={(e) => setQuery(e.target.value)} data-testid="vehicle-search" />
          <select aria-label="Type" className={FILTER} value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {VEHICLE_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          <select aria-label="Group" className={FILTER} value={group} onChange={(e) => setGroup(e.target.value)} data-testid="group-filter">
            <option value="">All groups</option>
            {groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
            <option value="-">No group</option>
          </select>
          <select aria-label="Reception" className={FILTER} value={reception} onChange={(e) => setReception(e.target.value as '' | 'on' | 'off')}>
            <option value="">Reception on or off</option>
            <option value="on">Reception on</option>
            <option value="off">Reception off</option>
          </select>
        </div>
        {vehicles.isPending ? (
          <StateMessage kind="loading" title="Loading vehicles…" />
        ) : vehicles.isError ? (
          <StateMessage kind="error" title="Could not load the vehicles" detail={vehicles.error.message} action={{ label: 'Retry', onClick: () => void vehicles.refetch() }} />
        ) : list.length === 0 ? (
          <StateMessage kind="empty" title="No vehicles yet" detail={isAdmin ? 'Add your first vehicle, or import a CSV file of them.' : 'An admin adds vehicles here.'} />
        ) : shown.length === 0 ? (
          <StateMessage kind="empty" title="No vehicle matches" detail="Change the search or the filters." />
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="vehicle-table">
              <thead className="border-y border-slate-200 bg-slate-50 text-xs text-slate-500">
                <tr>
                  <th className="px-4 py-2 font-medium">Vehicle</th>
                  <th className="px-2 py-2 font-medium">Type</th>
                  <th className="px-2 py-2 font-medium">Group</th>
                  <th className="px-2 py-2 font-medium">Device</th>
                  <th className="px-2 py-2 font-medium">Driver</th>
                  <th className="px-2 py-2 font-medium">Last position</th>
                  <th className="px-2 py-2 font-medium">Reception</th>
                  <th className="px-4 py-2" />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {shown.map((v) => (
                  <VehicleRow key={v.id} vehicle={v} driver={v.driverId ? driverName.get(v.driverId) ?? '—' : '—'} user={user} active={selected?.id === v.id} onEdit={() => setSide({ kind: 'edit', id: v.id })} onSetup={() => setSide({ kind: 'setup', id: v.id })} onDeleted={() => selected?.id === v.id && setSide(null)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <aside className="h-fit rounded-xl bg-white shadow-sm ring-1 ring-slate-200 lg:sticky lg:top-4">
        {side?.kind === 'create' || (side?.kind === 'edit' && selected) ? (
          <VehicleForm
            key={side.kind === 'edit' ? side.id : 'new'}
            vehicle={side.kind === 'edit' ? selected : null}
            drivers={drivers}
            vehicles={list}
            groups={groups}
            user={user}
            onDone={(saved) => setSide(saved && side.kind === 'create' && isAdmin ? { kind: 'setup', id: saved.id } : null)}
          />
        ) : side?.kind === 'setup' && selected ? (
          <DeviceSetup key={selected.id} vehicle={selected} onClose={() => setSide(null)} />
        ) : side?.kind === 'import' ? (
          <ImportVehicles onClose={() => setSide(null)} />
        ) : (
          <StateMessage kind="empty" title="Choose a vehicle" detail={isAdmin ? 'Edit it, or connect a phone to it. Or add a new one.' : 'Edit its details.'} />
        )}
      </aside>
    </div>
  );
}

function VehicleRow({ vehicle, driver, user, active, onEdit, onSetup, onDeleted }: { vehicle: VehicleDto; driver: string; user: PublicUser; active: boolean; onEdit: () => void; onSetup: () => void; onDeleted: () => void }) {
  const remove = useDeleteVehicle();
  const reception = useSetVehicleReception();
  const [confirming, setConfirming] = useState(false);
  const isAdmin = user.role === 'admin';
  return (
    <tr className={active ? 'bg-emerald-50/50' : undefined} data-testid="vehicle-row" data-vehicle={vehicle.name}>
      <td className="px-4 py-2">
        <div className="font-medium text-slate-900">{vehicle.name}</div>
        {vehicle.plate && <div className="text-xs text-slate-500">{vehicle.plate}</div>}
      </td>
      <td className="px-2 py-2">{TYPE_LABELS[vehicle.type] ?? vehicle.type}</td>
      <td className="px-2 py-2">{vehicle.groupName ?? <span className="text-slate-400">—</span>}</td>
      <td className="px-2 py-2 font-mono text-xs">{vehicle.deviceId}</td>
      <td className="px-2 py-2">{driver}</td>
      <td className="px-2 py-2 text-xs text-slate-600">{vehicle.state ? relativeTime(Date.parse(vehicle.state.ts), Date.now()) : 'never'}</td>
      <td className="px-2 py-2">
        <Switch
          checked={vehicle.receptionEnabled}
          disabled={!isAdmin || reception.isPending}
          label={`Accept positions from ${vehicle.name}`}
          onChange={(enabled) => reception.mutate({ id: vehicle.id, enabled })}
          testId="vehicle-reception"
        />
      </td>
      <td className="whitespace-nowrap px-4 py-2 text-right">
        {confirming ? (
          <span className="inline-flex items-center gap-1">
            <span className="text-xs text-red-700">Delete {vehicle.name} and its history?</span>
            <button type="button" className={DANGER} disabled={remove.isPending} onClick={() => remove.mutate(vehicle.id, { onSuccess: onDeleted })} data-testid="confirm-delete">
              Delete
            </button>
            <button type="button" className={BUTTON} onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <span className="inline-flex gap-1">
            <button type="button" className={BUTTON} onClick={onEdit} data-testid="edit-vehicle">
              Edit
            </button>
            {isAdmin && (
              <>
                <button type="button" className={BUTTON} onClick={onSetup} data-testid="setup-vehicle">
                  Connect phone
                </button>
                <button type="button" className={DANGER} onClick={() => setConfirming(true)} aria-label={`Delete ${vehicle.name}`}>
                  Delete
                </button>
              </>
            )}
          </span>
        )}
        {(remove.isError || reception.isError) && <p className="text-xs text-red-700">{(remove.error ?? reception.error)?.message}</p>}
      </td>
    </tr>
  );
}
