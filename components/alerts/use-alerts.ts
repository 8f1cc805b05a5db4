'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { RequestError } from '@/components/ui/api-fetch';
import { coalescer } from '@/components/ui/coalescer';
import { useSocketEvent } from '@/components/ui/use-socket-event';
import { ALERT_EVENTS, type AlertDeletedEvent, type AlertDto, type AlertListResult, type AlertReadEvent, type AlertRestoredEvent, type AlertSeverity } from '@/server/protocol/alerts';
import { acknowledgeAlert, alertKeys, deleteAlert, deleteAlerts, fetchAlerts, markAlertRead, markAlerts, restoreAlerts } from './api';
import { withDeleted, withNewAlert, withRead, withRestored } from './live-cache';

/**
 * Live alert events change the cached lists at once; the lists are refetched at most this often
 * to confirm (a burst of alerts becomes one request per list, well within the REST rate limit).
 */
const REFRESH_MS = 10_000;
/** New alerts arriving within this long are added to the lists together. */
const ARRIVALS_MS = 100;

/** Retry server trouble once; a 4xx (e.g. a refused filter) will not change by asking again. */
const retry = (count: number, error: Error) => count < 1 && !((error as RequestError).status >= 400 && (error as RequestError).status < 500);

export function useAlertList(severity: AlertSeverity | null) {
  return useQuery({ queryKey: alertKeys.list(severity), queryFn: () => fetchAlerts(severity), retry });
}

/**
 * Keeps the alert queries fresh from the socket: `alert`, `alert:read`, `alert:deleted` update
 * every cached list in place, then a throttled invalidation refetches them. Each new alert also
 * goes to `onAlert` (toasts).
 */
export function useLiveAlerts(socket: Socket | null, onAlert: (alert: AlertDto) => void): void {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey: alertKeys.all });
    }, REFRESH_MS);
  };
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const patch = (change: (list: AlertListResult, severity: AlertSeverity | null) => AlertListResult) => {
    for (const [key, list] of client.getQueriesData<AlertListResult>({ queryKey: alertKeys.all })) {
      const severity = key[2] === 'any' ? null : (key[2] as AlertSeverity);
      if (list) client.setQueryData(key, change(list, severity));
    }
    refresh();
  };
  // A burst of new alerts (a depot going offline) patches the lists once, not once per alert.
  // `patch` only reaches the query client and the timer ref, both stable: the first one serves.
  const [arrivals] = useState(() =>
    coalescer<AlertDto>(ARRIVALS_MS, (batch) => patch((list, severity) => batch.reduce((l, alert) => withNewAlert(l, severity, alert), list))),
  );
  useEffect(() => () => arrivals.cancel(), [arrivals]);
  useSocketEvent<AlertDto>(socket, ALERT_EVENTS.alert, (alert) => {
    onAlert(alert);
    arrivals.push(alert);
  });
  // Alerts still waiting to be added go in first: a read or delete may be about them.
  useSocketEvent<AlertReadEvent>(socket, ALERT_EVENTS.read, (event) => {
    arrivals.flush();
    patch((list) => withRead(list, event));
  });
  useSocketEvent<AlertDeletedEvent>(socket, ALERT_EVENTS.deleted, (event) => {
    arrivals.flush();
    patch((list) => withDeleted(list, event));
  });
  useSocketEvent<AlertRestoredEvent>(socket, ALERT_EVENTS.restored, (event) => {
    arrivals.flush();
    patch((list, severity) => withRestored(list, severity, event.alerts));
  });
}

export type BulkAction = { kind: 'read' | 'acknowledge'; ids: string[] | 'all' } | { kind: 'delete'; ids: string[] };

/**
 * Bulk mark read / acknowledge / delete. A delete leaves every cached list at once (the socket's
 * alert:deleted confirms it) and resolves with until when it can be undone.
 */
export function useBulkAlertAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (action: BulkAction) => (action.kind === 'delete' ? deleteAlerts(action.ids) : markAlerts(action.ids, action.kind)),
    onSuccess: (result, action) => {
      if (action.kind !== 'delete') return;
      for (const [key, list] of client.getQueriesData<AlertListResult>({ queryKey: alertKeys.all })) {
        if (list) client.setQueryData(key, withDeleted(list, { ids: result.ids }));
      }
    },
    onSettled: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}

/** Undo a delete: the alerts come back in every cached list. */
export function useRestoreAlerts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => restoreAlerts(ids),
    onSuccess: (result) => {
      for (const [key, list] of client.getQueriesData<AlertListResult>({ queryKey: alertKeys.all })) {
        const severity = key[2] === 'any' ? null : (key[2] as AlertSeverity);
        if (list) client.setQueryData(key, withRestored(list, severity, result.alerts));
      }
    },
    onSettled: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}

export type AlertAction = 'read' | 'acknowledge' | 'delete';

/** Mark read, acknowledge, delete: the lists refresh after each. */
export function useAlertAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: AlertAction }) =>
      action === 'read' ? markAlertRead(id) : action === 'acknowledge' ? acknowledgeAlert(id) : deleteAlert(id),
    onSettled: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
