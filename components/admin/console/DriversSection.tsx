'use client';

import { StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';
import type { VehicleDto } from '@/server/protocol/vehicles';
import { AdminShell, ReadOnlyNote } from './AdminShell';
import { useAdminUsers, useAdminVehicles, useUpdateVehicle } from './admin-api';
import { INPUT, Panel } from './ui';

/**
 * /admin/drivers: which driver drives which vehicle. A driver drives one vehicle at a time (their
 * phone reports for it); choosing a vehicle moves the driver there. Admins and managers assign.
 */
export function DriversSection() {
  return <AdminShell section="drivers">{(user) => <DriversScreen user={user} />}</AdminShell>;
}

function DriversScreen({ user }: { user: PublicUser }) {
  const users = useAdminUsers();
  const vehicles = useAdminVehicles();
  const drivers = (users.data ?? []).filter((u) => u.role === 'driver');
  const list = vehicles.data ?? [];
  const byDriver = new Map(list.filter((v) => v.driverId).map((v) => [v.driverId!, v]));
  const pending = users.isPending || vehicles.isPending;
  const error = users.error ?? vehicles.error;
  return (
    <Panel title={`Drivers${users.data ? ` · ${drivers.length}` : ''}`} testId="drivers-panel">
      <div className="px-4 pt-3">
        <ReadOnlyNote user={user} what="assignments" />
      </div>
      {pending ? (
        <StateMessage kind="loading" title="Loading drivers and vehicles…" />
      ) : error ? (
        <StateMessage kind="error" title="Could not load the drivers" detail={error.message} action={{ label: 'Retry', onClick: () => void Promise.all([users.refetch(), vehicles.refetch()]) }} />
      ) : drivers.length === 0 ? (
        <StateMessage kind="empty" title="No drivers yet" detail="Create a user with the role Driver under Users, then assign a vehicle here." />
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="driver-list">
          {drivers.map((d) => (
            <DriverRow key={d.id} driver={d} vehicle={byDriver.get(d.id) ?? null} vehicles={list} canAssign={user.role === 'admin' || user.role === 'manager'} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function DriverRow({ driver, vehicle, vehicles, canAssign }: { driver: PublicUser; vehicle: VehicleDto | null; vehicles: VehicleDto[]; canAssign: boolean }) {
  const update = useUpdateVehicle();
  async function assign(vehicleId: string) {
    // Unassign from the current vehicle first: the server keeps one vehicle per driver.
    if (vehicle && vehicle.id !== vehicleId) await update.mutateAsync({ id: vehicle.id, patch: { driverId: null } });
    if (vehicleId) await update.mutateAsync({ id: vehicleId, patch: { driverId: driver.id } });
  }
  return (
    <li className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="driver-row" data-driver={driver.email}>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium">
          {driver.name} {driver.active === false && <span className="ml-1 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-normal">Deactivated</span>}
        </p>
        <p className="text-xs text-slate-500">{driver.email}</p>
      </div>
      <label className="text-xs text-slate-600">
        Vehicle
        <select
          aria-label={`Vehicle of ${driver.name}`}
          className={`${INPUT} mt-0 ml-2 inline-block w-56 border-slate-300`}
          value={vehicle?.id ?? ''}
          disabled={!canAssign || update.isPending}
          onChange={(e) => void assign(e.target.value).catch(() => {})}
          data-testid="assign-vehicle"
        >
          <option value="">No vehicle</option>
          {vehicles.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
              {v.driverId && v.driverId !== driver.id ? ' (has a driver: will be replaced)' : ''}
            </option>
          ))}
        </select>
      </label>
      {update.isError && (
        <p role="alert" className="w-full text-xs text-red-700">
          {update.error.message}
        </p>
      )}
    </li>
  );
}
