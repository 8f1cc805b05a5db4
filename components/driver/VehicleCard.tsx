import type { DriverVehicle } from './driver-memory';

export function VehicleCard({ vehicle, tenantName }: { vehicle: DriverVehicle; tenantName: string }) {
  return (
    <section className="flex items-center gap-4 rounded-2xl bg-white p-4 shadow-sm" data-testid="driver-vehicle">
      <span className="flex h-12 w-12 shrink-0 items-center justify-center rounded-xl bg-slate-900 text-lg font-bold text-emerald-400" aria-hidden>
        {vehicle.type.slice(0, 1).toUpperCase()}
      </span>
      <div className="min-w-0">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Your vehicle</p>
        <p className="truncate text-lg font-semibold leading-tight">{vehicle.name}</p>
        <p className="truncate text-sm text-slate-500">
          {vehicle.plate && <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{vehicle.plate}</span>}
          {tenantName}
        </p>
      </div>
    </section>
  );
}
