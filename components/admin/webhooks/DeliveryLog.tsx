'use client';

import { StateMessage } from '@/components/ui/StateMessage';
import type { DeliveryStatus, WebhookDeliveryDto } from '@/server/protocol/webhooks';
import { useDeliveries, useRedeliver } from './webhook-api';

const STATUS_STYLE: Record<DeliveryStatus, string> = {
  delivered: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  pending: 'bg-amber-50 text-amber-800 ring-amber-200',
  failed: 'bg-red-50 text-red-700 ring-red-200',
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <span className={`rounded-full px-1.5 py-px text-[11px] font-medium ring-1 ${STATUS_STYLE[status]}`}>{status}</span>;
}

/** A webhook's newest deliveries with a redeliver button each. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const deliveries = useDeliveries(webhookId);
  const redeliver = useRedeliver(webhookId);
  return (
    <div className="mt-3 overflow-x-auto rounded-lg ring-1 ring-slate-200" data-testid="delivery-log">
      {deliveries.isPending ? (
        <StateMessage kind="loading" title="Loading deliveries…" />
      ) : deliveries.isError ? (
        <StateMessage kind="error" title="Could not load deliveries" detail={deliveries.error.message} action={{ label: 'Retry', onClick: () => void deliveries.refetch() }} />
      ) : deliveries.data.length === 0 ? (
        <StateMessage kind="empty" title="No deliveries yet" detail="Events of the chosen types are delivered as they happen; Ping sends a test." />
      ) : (
        <table className="w-full text-left text-xs">
          <thead className="bg-slate-50 text-[11px] uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-1.5 font-medium">Event</th>
              <th className="px-3 py-1.5 font-medium">Status</th>
              <th className="px-3 py-1.5 text-right font-medium">Attempts</th>
              <th className="px-3 py-1.5 text-right font-medium">Response</th>
              <th className="px-3 py-1.5 text-right font-medium">Time</th>
              <th className="px-3 py-1.5 font-medium">When</th>
              <th className="px-3 py-1.5" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {deliveries.data.map((d) => (
              <DeliveryRow key={d.id} delivery={d} busy={redeliver.isPending && redeliver.variables === d.id} onRedeliver={() => redeliver.mutate(d.id)} />
            ))}
          </tbody>
        </table>
      )}
      {redeliver.error && (
        <p role="alert" className="px-3 py-2 text-xs text-red-700">
          {redeliver.error.message}
        </p>
      )}
    </div>
  );
}

function DeliveryRow({ delivery: d, busy, onRedeliver }: { delivery: WebhookDeliveryDto; busy: boolean; onRedeliver: () => void }) {
  return (
    <tr data-testid="delivery-row" data-status={d.status}>
      <td className="px-3 py-1.5">
        <span className="font-mono">{d.eventType}</span>
        {d.eventSeq !== null && <span className="ml-1 text-slate-400">#{d.eventSeq}</span>}
      </td>
      <td className="px-3 py-1.5" title={d.error ?? undefined}>
        <DeliveryStatusBadge status={d.status} />
        {d.error && <span className="ml-1.5 inline-block max-w-48 truncate align-bottom text-[11px] text-slate-500">{d.error}</span>}
      </td>
      <td className="px-3 py-1.5 text-right tabular-nums">{d.attempts}</td>
      <td className="px-3 py-1.5 text-right tabular-nums">{d.responseStatus ?? '—'}</td>
      <td className="px-3 py-1.5 text-right tabular-nums">{d.responseMs !== null ? `${d.responseMs} ms` : '—'}</td>
      <td className="whitespace-nowrap px-3 py-1.5 text-slate-500">{new Date(d.updatedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' })}</td>
      <td className="px-3 py-1.5 text-right">
        <button type="button" disabled={busy} onClick={onRedeliver} className="rounded border border-slate-300 px-2 py-0.5 text-[11px] font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50" data-testid="delivery-redeliver">
          {busy ? 'Sending…' : 'Redeliver'}
        </button>
      </td>
    </tr>
  );
}
