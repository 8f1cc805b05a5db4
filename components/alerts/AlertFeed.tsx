'use client';

import { useState } from 'react';
import { relativeTime, useNow } from '@/components/ui/relative-time';
import { Section, StateMessage } from '@/components/ui/StateMessage';
import type { AlertDto, AlertSeverity } from '@/server/protocol/alerts';
import { SEVERITIES_DESC, SEVERITY_STYLE } from './severity';
import { useAlertAction, useAlertList, type AlertAction } from './use-alerts';

/**
 * The alert feed: newest first, severity colors and filter, mark read, acknowledge, delete;
 * clicking an alert with a vehicle selects it on the map. Loading, empty and error states.
 */
export function AlertFeed({ canAct, onSelectVehicle }: { canAct: boolean; onSelectVehicle: (id: string) => void }) {
  const [severity, setSeverity] = useState<AlertSeverity | null>(null);
  const list = useAlertList(severity);
  const action = useAlertAction();
  const now = useNow(5_000);

  const filter = (
    <select
      aria-label="Filter alerts by severity"
      value={severity ?? ''}
      onChange={(e) => setSeverity((e.target.value || null) as AlertSeverity | null)}
      className="rounded-md border border-slate-200 bg-white px-1.5 py-0.5 text-xs text-slate-700"
    >
      <option value="">All severities</option>
      {SEVERITIES_DESC.map((s) => (
        <option key={s} value={s}>
          {SEVERITY_STYLE[s].label}
        </option>
      ))}
    </select>
  );

  let body;
  if (list.isPending) body = <StateMessage kind="loading" title="Loading alerts…" />;
  else if (list.isError)
    body = (
      <StateMessage
        kind="error"
        title="Alerts are unavailable"
        detail={list.error.message}
        action={{ label: 'Try again', onClick: () => void list.refetch() }}
      />
    );
  else if (list.data.alerts.length === 0)
    body = <StateMessage kind="empty" title={severity ? `No ${SEVERITY_STYLE[severity].label.toLowerCase()} alerts` : 'No alerts'} detail="New alerts appear here as they happen." />;
  else
    body = (
      <ul className="divide-y divide-slate-100" data-testid="alert-list">
        {list.data.alerts.map((alert) => (
          <AlertRow
            key={alert.id}
            alert={alert}
            now={now}
            canAct={canAct}
            busy={action.isPending && action.variables?.id === alert.id}
            onAction={(kind) => action.mutate({ id: alert.id, action: kind })}
            onSelectVehicle={onSelectVehicle}
          />
        ))}
        {list.data.truncated && <li className="px-3 py-2 text-center text-xs text-slate-500">Older alerts are not shown.</li>}
      </ul>
    );

  return (
    <Section title="Alerts" aside={filter} className="flex min-h-0 flex-1 flex-col">
      {action.isError && (
        <p role="alert" className="border-b border-red-100 bg-red-50 px-3 py-1.5 text-xs text-red-700">
          {action.error.message}
        </p>
      )}
      <div className="min-h-0 flex-1 overflow-y-auto" data-testid="alert-feed">
        {body}
      </div>
    </Section>
  );
}

function AlertRow({
  alert,
  now,
  canAct,
  busy,
  onAction,
  onSelectVehicle,
}: {
  alert: AlertDto;
  now: number;
  canAct: boolean;
  busy: boolean;
  onAction: (action: AlertAction) => void;
  onSelectVehicle: (id: string) => void;
}) {
  const style = SEVERITY_STYLE[alert.severity];
  const unread = !alert.readAt;
  const vehicleId = alert.vehicleId;
  return (
    <li className={`group relative flex gap-2 px-3 py-2 ${unread ? 'bg-slate-50/80' : ''}`}>
      <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${style.dot}`} aria-hidden />
      <div className="min-w-0 flex-1">
        <button
          type="button"
          disabled={!vehicleId}
          onClick={() => vehicleId && onSelectVehicle(vehicleId)}
          className={`block w-full text-left text-sm leading-snug ${unread ? 'font-semibold text-slate-900' : 'text-slate-700'} ${vehicleId ? 'hover:underline' : 'cursor-default'}`}
        >
          {alert.message}
        </button>
        <div className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-slate-500">
          <span className={`rounded px-1 py-px text-[10px] font-semibold uppercase ring-1 ${style.badge}`}>{style.label}</span>
          <span>{relativeTime(Date.parse(alert.at), now)}</span>
          {alert.acknowledgedAt && <span className="text-emerald-700">✓ acknowledged</span>}
        </div>
      </div>
      {canAct && (
        <div className="flex shrink-0 items-start gap-1">
          {unread && <RowButton label="Mark read" text="Read" disabled={busy} onClick={() => onAction('read')} />}
          {!alert.acknowledgedAt && <RowButton label="Acknowledge" text="Ack" disabled={busy} onClick={() => onAction('acknowledge')} />}
          <RowButton label="Delete alert" text="✕" disabled={busy} onClick={() => onAction('delete')} />
        </div>
      )}
    </li>
  );
}

function RowButton({ label, text, disabled, onClick }: { label: string; text: string; disabled: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className="rounded border border-slate-200 bg-white px-1.5 py-0.5 text-[11px] font-medium text-slate-600 hover:border-slate-400 hover:text-slate-900 disabled:opacity-40"
    >
      {text}
    </button>
  );
}
