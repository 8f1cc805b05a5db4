'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { ROUTE_EVENTS } from '@/server/protocol/routes';
import { GEOFENCE_EVENTS } from '@/server/protocol/geofences';
import { TRIP_EVENTS } from '@/server/protocol/trips';
import { QUERY_KEYS } from './list-queries';

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Keeps a page's REST lists current without polling: a /fleet socket that subscribes to no
 * vehicles (the server puts it in the tenant's catalog room) and refetches fences, routes or
 * trips when they change anywhere. Used by the editors and the trips page.
 */
export function useCatalogLive(token: string): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const socket = io('/fleet', { auth: { token } });
    const refetch = (key: readonly string[]) => () => void queryClient.invalidateQueries({ queryKey: key });
    let connectedBefore = false;
    socket.on('connect', () => {
      setState('live');
      // Anything missed while away (not on the first connect: the page is loading it anyway).
      if (connectedBefore && !socket.recovered) void queryClient.invalidateQueries();
      connectedBefore = true;
    });
    socket.on('disconnect', () => setState('offline'));
    socket.on('connect_error', () => setState('offline'));
    socket.on(GEOFENCE_EVENTS.changed, refetch(QUERY_KEYS.geofences));
    socket.on(GEOFENCE_EVENTS.removed, refetch(QUERY_KEYS.geofences));
    socket.on(ROUTE_EVENTS.changed, refetch(QUERY_KEYS.routes));
    socket.on(ROUTE_EVENTS.removed, refetch(QUERY_KEYS.routes));
    socket.on(TRIP_EVENTS.update, refetch(QUERY_KEYS.trips));
    return () => {
      socket.disconnect();
    };
  }, [token, queryClient]);

  return state;
}
