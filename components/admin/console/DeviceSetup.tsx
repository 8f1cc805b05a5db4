'use client';

import { toDataURL } from 'qrcode';
import { useEffect, useState } from 'react';
import type { VehicleDto } from '@/server/protocol/vehicles';
import { useRotateToken } from './admin-api';
import { deviceSettings } from './device-settings';
import { BUTTON, DANGER } from './ui';

/**
 * A vehicle's phone setup (admins): its device identifier and token, the exact settings for
 * Traccar Client, OsmAnd and OwnTracks with a QR code each, and "Issue a new token" (the old one
 * stops working at once).
 */
export function DeviceSetup({ vehicle, onClose }: { vehicle: VehicleDto; onClose: () => void }) {
  const rotate = useRotateToken();
  const [token, setToken] = useState(vehicle.deviceToken ?? '');
  const [client, setClient] = useState<'traccar' | 'osmand' | 'owntracks'>('traccar');
  const [confirming, setConfirming] = useState(false);
  const settings = deviceSettings(window.location.origin, vehicle.deviceId, token);
  const current = settings.find((s) => s.client === client)!;
  const [qr, setQr] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void toDataURL(current.qr, { margin: 1, width: 220, errorCorrectionLevel: 'M' }).then((url) => !cancelled && setQr(url), () => !cancelled && setQr(null));
    return () => {
      cancelled = true;
    };
  }, [current.qr]);

  return (
    <div className="space-y-4 p-4" data-testid="device-setup">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h3 className="text-sm font-semibold">Connect a phone to {vehicle.name}</h3>
          <p className="text-xs text-slate-500">
            Device identifier <code className="rounded bg-slate-100 px-1" data-testid="setup-device-id">{vehicle.deviceId}</code>
          </p>
        </div>
        <button type="button" className={BUTTON} onClick={onClose}>
          Close
        </button>
      </div>

      <div className="flex gap-1" role="tablist" aria-label="Tracking app">
        {settings.map((s) => (
          <button
            key={s.client}
            type="button"
            role="tab"
            aria-selected={s.client === client}
            onClick={() => setClient(s.client)}
            className={`rounded-md px-2.5 py-1 text-xs font-medium ${s.client === client ? 'bg-slate-900 text-white' : 'text-slate-600 hover:bg-slate-100'}`}
          >
            {s.label}
          </button>
        ))}
      </div>

      <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
        <dl className="space-y-2 text-xs" data-testid={`settings-${client}`}>
          {current.fields.map((f) => (
            <div key={f.label}>
              <dt className="font-medium text-slate-600">{f.label}</dt>
              <dd className="mt-0.5 flex items-center gap-1">
                <code className="min-w-0 flex-1 break-all rounded bg-slate-100 px-1.5 py-1" data-testid={`setting-${f.label.toLowerCase().replace(/\s+/g, '-')}`}>
                  {f.value}
                </code>
                <button type="button" className={BUTTON} onClick={() => void navigator.clipboard?.writeText(f.value)} aria-label={`Copy ${f.label}`}>
                  Copy
                </button>
              </dd>
            </div>
          ))}
          <p className="pt-1 text-slate-500">{current.note}</p>
        </dl>
        <div className="flex flex-col items-center gap-1">
          {qr ? <img src={qr} alt={`QR code with the ${current.label} settings`} width={180} height={180} data-testid="settings-qr" /> : <div className="h-[180px] w-[180px] rounded bg-slate-100" />}
          <span className="text-[11px] text-slate-500">Scan with the phone</span>
        </div>
      </div>

      <div className="rounded-md border border-amber-200 bg-amber-50 p-3 text-xs text-amber-900">
        {confirming ? (
          <div className="flex flex-wrap items-center gap-2">
            <span>Phones using the current token stop reporting until they get the new settings. Issue a new token?</span>
            <button
              type="button"
              className={DANGER}
              disabled={rotate.isPending}
              data-testid="confirm-rotate-token"
              onClick={() =>
                rotate.mutate(vehicle.id, {
                  onSuccess: (fresh) => {
                    setToken(fresh);
                    setConfirming(false);
                  },
                })
              }
            >
              {rotate.isPending ? 'Issuing…' : 'Yes, issue a new token'}
            </button>
            <button type="button" className={BUTTON} onClick={() => setConfirming(false)}>
              Keep the current one
            </button>
          </div>
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-2">
            <span>Lost a phone, or the token leaked? Issue a new one: the old token stops working at once.</span>
            <button type="button" className={BUTTON} onClick={() => setConfirming(true)} data-testid="rotate-token">
              Issue a new token
            </button>
          </div>
        )}
        {rotate.isError && <p className="mt-1 text-red-700">{rotate.error.message}</p>}
      </div>
    </div>
  );
}
