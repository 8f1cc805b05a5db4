'use client';

import { useEffect, useMemo, useState } from 'react';
import { relativeTime, useNow } from '@/components/ui/relative-time';
import { Section, StateMessage } from '@/components/ui/StateMessage';
import type { AlertDto, AlertSeverity } from '@/server/protocol/alerts';
import { alertCount, groupRows, holdStill, type FeedRow, type GroupBy } from './feed-model';
import { SEVERITIES_DESC, SEVERITY_STYLE } from './severity';
import { useAlertList, useBulkAlertAction, useRestoreAlerts, type BulkAction } from './use-alerts';

const NO_ALERTS: AlertDto[] = [];

/**
 * The alert feed: newest first, severity filter, grouping by fence or vehicle with counts,
 * selection with bulk mark read / acknowledge / delete (undo for a few seconds), mark all read;
 * clicking an alert with a vehicle selects it on the map.
 *
 * It holds still while the pointer is over it: new alerts wait behind an "N new" bar in a strip
 * of fixed height (so neither the bar nor the toolbar ever moves the rows), and alerts removed by
 * someone else stay in place, greyed, until the pointer leaves (see feed-model.ts).
 */
export function AlertFeed({
  canAct,
  onSelectVehicle,
  vehicleName = () => undefined,
}: {
  canAct: boolean;
  onSelectVehicle: (id: string) => void;
  vehicleName?: (id: string) => string | undefined;
}) {
  const [severity, setSeverity] = useState<AlertSeverity | null>(null);
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [pointerInside, setPointerInside] = useState(false);
  const [held, setHeld] = useState<AlertDto[] | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [restored, setRestored] = useState<ReadonlySet<string>>(new Set());
  const [undo, setUndo] = useState<{ ids: string[]; until: number } | null>(null);
  const list = useAlertList(severity);
  const bulk = useBulkAlertAction();
  const restore = useRestoreAlerts();
  const now = useNow(5_000);
  const current = list.data?.alerts ?? NO_ALERTS;

  // Hold from the moment the pointer enters until it leaves (a new filter starts a new hold).
  useEffect(() => {
    if (!pointerInside) {
      setHeld(null);
      setRestored(new Set());
    } else if (held === null && list.data) setHeld(list.data.alerts);
  }, [pointerInside, held, list.data]);

  // The undo toast goes when its time is up.
  useEffect(() => {
    if (!undo) return;
    const timer = setTimeout(() => setUndo(null), Math.max(0, undo.until - Date.now()));
    return () => clearTimeout(timer);
  }, [undo]);

  const view = useMemo(() => holdStill(pointerInside ? held : null, current, hidden, restored), [pointerInside, held, current, hidden, restored]);
  const visibleIds = useMemo(() => view.rows.filter((r) => !r.gone).map((r) => r.alert.id), [view]);
  // Only alerts still shown stay selected.
  const selection = useMemo(() => visibleIds.filter((id) => selected.has(id)), [visibleIds, selected]);

  const act = (action: BulkAction) => {
    if (action.kind === 'delete') setHidden((h) => new Set([...h, ...action.ids]));
    bulk.mutate(action, {
      onSuccess: (result) => {
        if (action.kind !== 'delete') return;
        setSelected(new Set());
        setUndo({ ids: result.ids, until: result.undoUntil ? Date.parse(result.undoUntil) : Date.now() + 5_000 });
      },
      onError: () => {
        if (action.kind === 'delete') setHidden((h) => new Set([...h].filter((id) => !action.ids.includes(id))));
      },
    });
  };
  const undoDelete = () => {
    if (!undo) return;
    const ids = undo.ids;
    setUndo(null);
    restore.mutate(ids, {
      onSuccess: () => {
        setRestored((r) => new Set([...r, ...ids]));
        setHidden((h) => new Set([...h].filter((id) => !ids.includes(id))));
      },
    });
  };
  const toggle = (ids: string[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const controls = (
    <div className="flex items-center gap-1.5">
      <select
        aria-label="Group alerts"
        value={groupBy}
        onChange={(e) => setGroupBy(e.target.value as GroupBy)}
        className="rounded-md border border-slate-200 bg-white px-1.5 py-0.5 text-xs text-slate-700"
      >
        <option value="none">Newest first</option>
        <option value="fence">By fence</option>
        <option value="vehicle">By vehicle</option>
      </select>
      <select
        aria-label="Filter alerts by severity"
        value={severity ?? ''}
        onChange={(e) => {
          setSeverity((e.target.value || null) as AlertSeverity | null);
          setHeld(null);
        }}
        className="rounded-md border border-slate-200 bg-white px-1.5 py-0.5 text-xs text-slate-700"
      >
        <option value="">All severities</option>
        {SEVERITIES_DESC.map((s) => (
          <option key={s} value={s}>
            {SEVERITY_STYLE[s].label}
          </option>
        ))}
      </select>
    </div>
  );

  const unreadTotal = list.data ? Object.values(list.data.unread).reduce((a, b) => a + b, 0) : 0;
  const busy = bulk.isPending || restore.isPending;
  const allSelected = visibleIds.length > 0 && selection.length === visibleIds.length;

  // Toolbar and "new" strip: fixed heights whatever they show, so the rows below never move.
  const toolbar = canAct && (
    <div className="flex h-9 shrink-0 items-center gap-2 border-b border-slate-100 px-3 text-xs" data-testid="alert-toolbar">
      <input
        type="checkbox"
        aria-label={allSelected ? 'Select no alerts' : 'Select all shown alerts'}
        checked={allSelected}
        disabled={visibleIds.length === 0}
        onChange={(e) => setSelected(e.target.checked ? new Set(visibleIds) : new Set())}
      />
      {selection.length > 0 ? (
        <>
          <span className="font-medium text-slate-700">{selection.length} selected</span>
          <span className="ml-auto flex gap-1">
            <ToolButton disabled={busy} onClick={() => act({ kind: 'read', ids: selection })}>
              Mark read
            </ToolButton>
            <ToolButton disabled={busy} onClick={() => act({ kind: 'acknowledge', ids: selection })}>
              Acknowledge
            </ToolButton>
            <ToolButton disabled={busy} danger onClick={() => act({ kind: 'delete', ids: selection })}>
              Delete
            </ToolButton>
          </span>
        </>
      ) : (
        <>
          <span className="text-slate-500">{unreadTotal > 0 ? `${unreadTotal} unread` : 'All read'}</span>
          <span className="ml-auto">
            <ToolButton disabled={busy || unreadTotal === 0} onClick={() => act({ kind: 'read', ids: 'all' })}>
              Mark all read
            </ToolButton>
          </span>
        </>
      )}
    </div>
  );

  const strip = (
    <div className="flex h-7 shrink-0 items-center justify-center border-b border-slate-100 text-xs" data-testid="alert-new-strip">
      {view.waiting > 0 ? (
        <button
          type="button"
          data-testid="alert-new-bar"
          onClick={() => setHeld(current)}
          className="h-full w-full bg-sky-50 font-medium text-sky-800 hover:bg-sky-100"
        >
          ↑ {view.waiting} new — show
        </button>
      ) : (
        <span className="text-slate-400">{pointerInside ? 'Paused while the pointer is here' : 'Live'}</span>
      )}
    </div>
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
  else if (view.rows.length === 0)
    body = <StateMessage kind="empty" title={severity ? `No ${SEVERITY_STYLE[severity].label.toLowerCase()} alerts` : 'No alerts'} detail="New alerts appear here as they happen." />;
  else {
    const renderRow = (row: FeedRow) => (
      <AlertRow
        key={row.alert.id}
        row={row}
        now={now}
        canAct={canAct}
        busy={busy}
        checked={selected.has(row.alert.id)}
        onCheck={(on) => toggle([row.alert.id], on)}
        onAction={(kind) => act({ kind, ids: [row.alert.id] })}
        onSelectVehicle={onSelectVehicle}
      />
    );
    body = (
      <ul className="divide-y divide-slate-100" data-testid="alert-list">
        {groupBy === 'none'
          ? view.rows.map(renderRow)
          : groupRows(view.rows, groupBy, vehicleName).map((group) => {
              const open = !collapsed.has(group.key);
              const groupIds = group.rows.filter((r) => !r.gone).map((r) => r.alert.id);
              return (
                <li key={group.key || 'none'} data-testid="alert-group">
                  <div className="sticky top-0 z-[1] flex items-center gap-2 bg-slate-100 px-3 py-1 text-xs">
                    {canAct && (
                      <input
                        type="checkbox"
                        aria-label={`Select the alerts of ${group.label}`}
                        checked={groupIds.length > 0 && groupIds.every((id) => selected.has(id))}
                        onChange={(e) => toggle(groupIds, e.target.checked)}
                      />
                    )}
                    <button
                      type="button"
                      aria-expanded={open}
                      onClick={() => setCollapsed((c) => (open ? new Set([...c, group.key]) : new Set([...c].filter((k) => k !== group.key))))}
                      className="flex min-w-0 flex-1 items-center gap-1 text-left font-semibold text-slate-700"
                    >
                      <span aria-hidden>{open ? '▾' : '▸'}</span>
                      <span className="truncate">{group.label}</span>
                      <span className="ml-auto shrink-0 font-normal text-slate-500" data-testid="alert-group-count">
                        {alertCount(group.rows.length)}
                        {group.unread > 0 ? ` · ${group.unread} unread` : ''}
                      </span>
                    </button>
                  </div>
                  {open && <ul className="divide-y divide-slate-100">{group.rows.map(renderRow)}</ul>}
                </li>
              );
            })}
        {list.data.truncated && <li className="px-3 py-2 text-center text-xs text-slate-500">Older alerts are not shown: see the Alerts page.</li>}
      </ul>
    );
  }

  return (
    <Section title="Alerts" aside={controls} className="relative flex min-h-0 flex-1 flex-col">
      <div className="flex min-h-0 flex-1 flex-col" onPointerEnter={() => setPointerInside(true)} onPointerLeave={() => setPointerInside(false)}>
        {toolbar}
        {strip}
        {(bulk.isError || restore.isError) && (
          <p role="alert" className="border-b border-red-100 bg-red-50 px-3 py-1.5 text-xs text-red-700">
            {(bulk.error ?? restore.error)?.message}
          </p>
        )}
        <div className="min-h-0 flex-1 overflow-y-auto" data-testid="alert-feed">
          {body}
        </div>
      </div>
      {undo && (
        <div role="status" data-testid="alert-undo" className="absolute inset-x-3 bottom-3 z-10 flex items-center gap-3 rounded-lg bg-slate-900 px-3 py-2 text-sm text-white shadow-lg">
          <span className="flex-1">{alertCount(undo.ids.length)} deleted</span>
          <button type="button" onClick={undoDelete} className="font-semibold text-sky-300 hover:text-sky-200">
            Undo
          </button>
          <button type="button" aria-label="Dismiss" onClick={() => setUndo(null)} className="text-slate-400 hover:text-white">
            ✕
          </button>
        </div>
      )}
    </Section>
  );
}

function AlertRow({
  row,
  now,
  canAct,
  busy,
  checked,
  onCheck,
  onAction,
  onSelectVehicle,
}: {
  row: FeedRow;
  now: number;
  canAct: boolean;
  busy: boolean;
  checked: boolean;
  onCheck: (on: boolean) => void;
  onAction: (action: 'read' | 'acknowledge' | 'delete') => void;
  onSelectVehicle: (id: string) => void;
}) {
  const { alert, gone } = row;
  const style = SEVERITY_STYLE[alert.severity];
  const unread = !alert.readAt && !gone;
  const vehicleId = alert.vehicleId;
  return (
    <li
      data-testid="alert-row"
      data-alert-id={alert.id}
      className={`group relative flex gap-2 px-3 py-2 ${unread ? 'bg-slate-50/80' : ''} ${gone ? 'opacity-40' : ''}`}
    >
      {canAct && (
        <input
          type="checkbox"
          className="mt-1 shrink-0"
          aria-label={`Select: ${alert.message}`}
          checked={checked}
          disabled={gone}
          onChange={(e) => onCheck(e.target.checked)}
        />
      )}
      <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${style.dot}`} aria-hidden />
      <div className="min-w-0 flex-1">
        <button
          type="button"
          disabled={!vehicleId || gone}
          onClick={() => vehicleId && onSelectVehicle(vehicleId)}
          className={`block w-full text-left text-sm leading-snug ${unread ? 'font-semibold text-slate-900' : 'text-slate-700'} ${vehicleId ? 'hover:underline' : 'cursor-default'}`}
        >
          {alert.message}
        </button>
        <div className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-slate-500">
          <span className={`rounded px-1 py-px text-[10px] font-semibold uppercase ring-1 ${style.badge}`}>{style.label}</span>
          <span>{relativeTime(Date.parse(alert.at), now)}</span>
          {alert.details.aggregated === true && <span className="text-slate-600">grouped</span>}
          {gone ? <span>removed</span> : alert.acknowledgedAt && <span className="text-emerald-700">✓ acknowledged</span>}
        </div>
      </div>
      {canAct && !gone && (
        <div className="flex shrink-0 items-start gap-1">
          {unread && <RowButton label="Mark read" text="Read" disabled={busy} onClick={() => onAction('read')} />}
          {!alert.acknowledgedAt && <RowButton label="Acknowledge" text="Ack" disabled={busy} onClick={() => onAction('acknowledge')} />}
          <RowButton label="Delete alert" text="✕" disabled={busy} onClick={() => onAction('delete')} />
        </div>
      )}
    </li>
  );
}

function ToolButton({ children, disabled, danger, onClick }: { children: string; disabled: boolean; danger?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      disabled={disabled}
      onClick={onClick}
      className={`rounded border bg-white px-2 py-0.5 font-medium disabled:opacity-40 ${danger ? 'border-red-200 text-red-700 hover:border-red-400' : 'border-slate-200 text-slate-700 hover:border-slate-400'}`}
    >
      {children}
    </button>
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
