'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { ROUTE_EVENTS } from '@/server/protocol/routes';
import { GEOFENCE_EVENTS } from '@/server/protocol/geofences';
import { TRIP_EVENTS } from '@/server/protocol/trips';
import { QUERY_KEYS } from './list-queries';
import { renewOrEnd, socketAuth } from '@/components/session';

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
    const socket = io('/fleet', { auth: socketAuth(token) });
    const refetch = (key: readonly string[]) => () => void queryClient.invalidateQueries({ queryKey: key });
    let connectedBefore = false;
    socket.on('connect', () => {
      setState('live');
      // Anything missed while away (not on the first connect: the page is loading it anyway).
      if (connectedBefore && !socket.recovered) void queryClient.invalidateQueries();
      connectedBefore = true;
    });
    socket.on('disconnect', (reason) => {
      setState('offline');
      // Closed by the server on purpose (session cut off): renew and reconnect, or to sign-in.
      if (reason === 'io server disconnect') void renewOrEnd().then((renewed) => renewed && socket.connect());
    });
    socket.on('connect_error', (error) => {
      setState('offline');
      if (error.message === 'UNAUTHORIZED') void renewOrEnd().then((renewed) => renewed && socket.connect());
    });
    socket.on(GEOFENCE_EVENTS.changed, refetch(QUERY_KEYS.geofences));
    socket.on(GEOFENCE_EVENTS.removed, refetch(QUERY_KEYS.geofences));
    socket.on(ROUTE_EVENTS.changed, refetch(QUERY_KEYS.routes));
    socket.on(ROUTE_EVENTS.removed, refetch(QUERY_KEYS.routes));
    socket.on(TRIP_EVENTS.update, refetch(QUERY_KEYS.trips));
    return () => {
      socket.disconnect();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the token is read on each connection
  }, [queryClient]);

  return state;
}
