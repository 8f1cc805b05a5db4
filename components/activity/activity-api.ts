'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { apiJson } from '@/components/ui/api-fetch';
import type { AggregateType, DomainEvent, EventPage } from '@/server/protocol/events';
import { AUDIT_TYPES } from './describe';

export interface ActivityFilters {
  /** A user id, or '' for everyone. */
  who: string;
  /** One audit type, or '' for all of them. */
  what: string;
  objectType: AggregateType | '';
  objectId: string;
  /** `datetime-local` values ('' for open). */
  from: string;
  to: string;
}

export const NO_FILTERS: ActivityFilters = { who: '', what: '', objectType: '', objectId: '', from: '', to: '' };
const PAGE = 50;

/** The `types` every request of the page asks for: the chosen one, or every type a person causes. */
export const typesOf = (filters: ActivityFilters) => filters.what || AUDIT_TYPES.join(',');

function params(filters: ActivityFilters): URLSearchParams {
  const p = new URLSearchParams({ types: typesOf(filters), actorKind: 'user', limit: String(PAGE) });
  if (filters.who) p.set('actorId', filters.who);
  if (filters.objectType) p.set('aggregateType', filters.objectType);
  if (filters.objectId.trim()) p.set('aggregateId', filters.objectId.trim());
  if (filters.from) p.set('from', new Date(filters.from).toISOString());
  if (filters.to) p.set('to', new Date(filters.to).toISOString());
  return p;
}

/** Whether a live event belongs in the list under these filters (the server filters the pages the same way). */
export function matches(event: DomainEvent, filters: ActivityFilters): boolean {
  if (event.actor.kind !== 'user') return false;
  if (!typesOf(filters).split(',').includes(event.type)) return false;
  if (filters.who && event.actor.id !== filters.who) return false;
  if (filters.objectType && event.aggregate.type !== filters.objectType) return false;
  if (filters.objectId.trim() && event.aggregate.id !== filters.objectId.trim()) return false;
  const at = Date.parse(event.at);
  if (filters.from && at < new Date(filters.from).getTime()) return false;
  if (filters.to && at >= new Date(filters.to).getTime()) return false;
  return true;
}

interface ActivityPage extends EventPage {
  /** The tenant's last seq when the first page was read: the list shows up to it, the stream goes on after it. */
  head: number;
}

/**
 * The audit trail, newest first, a page at a time ("Load older" follows `next` as `before`).
 * The first page is read at a fixed head (the log's last seq, read first), so the live stream,
 * which starts after that head, neither misses nor repeats an event. Only people's actions are
 * asked for (`actorKind=user`): devices and the server cause events of some of these types too
 * (alerts expiring), and filtering them out here would leave pages short or empty.
 */
export function useActivity(filters: ActivityFilters) {
  return useInfiniteQuery({
    queryKey: ['activity', filters],
    initialPageParam: null as { before: number; head: number } | null,
    queryFn: async ({ pageParam }): Promise<ActivityPage> => {
      const head = pageParam?.head ?? (await apiJson<EventPage>('/api/v1/events?limit=1')).events[0]?.seq ?? 0;
      const p = params(filters);
      p.set('before', String(pageParam?.before ?? head + 1));
      const page = await apiJson<EventPage>(`/api/v1/events?${p}`);
      return { ...page, head };
    },
    getNextPageParam: (last) => (last.next === null ? undefined : { before: last.next, head: last.head }),
    staleTime: Infinity, // kept fresh by the stream, not by refetching
  });
}

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * The tenant's events of `types` after `after`, live, through an EventSource opened with a
 * single-use ticket (the JWT stays out of the URL). A ticket opens one connection, so the
 * browser's own reconnect cannot be used: on any error the stream is reopened with a new ticket,
 * resuming after the last event received (`lastEventId`), so nothing is missed or repeated.
 */
export function useEventStream(types: string, after: number | undefined, onEvent: (event: DomainEvent) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });

  useEffect(() => {
    if (after === undefined) return;
    let cursor = after;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;

    const reopen = () => {
      source?.close();
      source = null;
      if (stopped) return;
      setState('reconnecting');
      retry = setTimeout(() => void open(), 3_000);
    };
    const open = async () => {
      try {
        const { ticket } = await apiJson<{ ticket: string }>('/api/v1/events/stream-ticket', { method: 'POST' });
        if (stopped) return;
        const query = new URLSearchParams({ ticket, types, lastEventId: String(cursor) });
        const es = new EventSource(`/api/v1/events/stream?${query}`);
        source = es;
        es.onopen = () => setState('live');
        es.onerror = reopen; // includes the server's final `event: error` (a MessageEvent of type error)
        for (const type of types.split(',')) {
          es.addEventListener(type, (message) => {
            const event = JSON.parse((message as MessageEvent<string>).data) as DomainEvent;
            if (event.seq <= cursor) return;
            cursor = event.seq;
            handler.current(event);
          });
        }
      } catch {
        reopen();
      }
    };
    setState('connecting');
    void open();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [types, after]);

  return state;
}
