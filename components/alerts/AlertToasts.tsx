'use client';

import { useCallback, useEffect, useState } from 'react';
import type { AlertDto } from '@/server/protocol/alerts';

const SHOW_MS = 10_000;
const MAX_TOASTS = 3;

/** Critical alerts as toasts over the map (top right, under the toolbar), newest on top; click → the vehicle. */
export function useCriticalToasts() {
  const [toasts, setToasts] = useState<AlertDto[]>([]);
  const push = useCallback((alert: AlertDto) => {
    if (alert.severity !== 'critical') return;
    setToasts((current) => [alert, ...current.filter((t) => t.id !== alert.id)].slice(0, MAX_TOASTS));
  }, []);
  const dismiss = useCallback((id: string) => setToasts((current) => current.filter((t) => t.id !== id)), []);
  return { toasts, push, dismiss };
}

export function AlertToasts({ toasts, onDismiss, onSelectVehicle }: { toasts: AlertDto[]; onDismiss: (id: string) => void; onSelectVehicle: (id: string) => void }) {
  return (
    <div className="pointer-events-none absolute right-3 top-16 z-20 flex w-80 flex-col gap-2" aria-live="assertive">
      {toasts.map((toast) => (
        <Toast key={toast.id} alert={toast} onDismiss={onDismiss} onSelectVehicle={onSelectVehicle} />
      ))}
    </div>
  );
}

function Toast({ alert, onDismiss, onSelectVehicle }: { alert: AlertDto; onDismiss: (id: string) => void; onSelectVehicle: (id: string) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(alert.id), SHOW_MS);
    return () => clearTimeout(timer);
  }, [alert.id, onDismiss]);
  return (
    <div role="alert" data-testid="critical-toast" className="pointer-events-auto flex gap-3 rounded-xl border border-red-200 bg-white p-3 shadow-xl">
      <span className="w-1 shrink-0 self-stretch rounded bg-red-600" aria-hidden />
      <button
        type="button"
        className="min-w-0 flex-1 text-left"
        onClick={() => {
          if (alert.vehicleId) onSelectVehicle(alert.vehicleId);
          onDismiss(alert.id);
        }}
      >
        <p className="text-xs font-semibold uppercase tracking-wide text-red-700">Critical alert</p>
        <p className="mt-0.5 text-sm font-medium text-slate-900">{alert.message}</p>
      </button>
      <button type="button" aria-label="Dismiss" onClick={() => onDismiss(alert.id)} className="self-start text-slate-400 hover:text-slate-700">
        ✕
      </button>
    </div>
  );
}
