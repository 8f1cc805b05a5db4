'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  FLEET_EVENTS,
  type PositionsFrame,
  type SnapshotFrame,
  type SubscribeAck,
  type SubscribeRequest,
  type VehicleInfo,
  type VehicleRouteEvent,
  type VehicleStatusEvent,
} from '@/server/protocol/fleet';
import { METRICS_EVENT, type FleetMetricsSnapshot } from '@/server/protocol/metrics';
import { recordSpan } from './live-perf';
import { renewOrEnd, socketAuth } from '@/components/session';
import { needsResubscribe, subscriptionBox, type BBox } from './subscription-area';
import type { VehicleStore } from './vehicle-store';

const SUBSCRIBE_TIMEOUT_MS = 15_000;
/** After an unanswered subscription, the next try. */
const RESUBSCRIBE_MS = 2_000;
/** Up to this many vehicles the map takes the whole fleet; beyond, the viewport plus a margin. */
export const LARGE_FLEET = 20_000;

export type FleetStatus =
  | { phase: 'connecting' }
  | { phase: 'loading' }
  | { phase: 'live' }
  /** The role may not watch the fleet (FORBIDDEN): retrying cannot help. */
  | { phase: 'denied'; message: string }
  | { phase: 'error'; message: string; retrying: boolean };

export type FleetScope = 'fleet' | 'viewport';

/**
 * The /fleet socket: on every connect that did not resume a session (Socket.IO connection-state
 * recovery) it asks for the fleet's size, subscribes to the whole fleet when it is small or to
 * the viewport plus a margin when it is large, loads the snapshot and feeds frames, facts and
 * presence into the store. Only phase changes reach React state. The socket is returned for the
 * other live events (metrics, alerts, fences).
 */
export function useFleetConnection(store: VehicleStore, token: string) {
  const [status, setStatus] = useState<FleetStatus>({ phase: 'connecting' });
  const [socket, setSocket] = useState<Socket | null>(null);
  const [scope, setScope] = useState<FleetScope>('fleet');
  /** Not renewed: renewOrEnd went to sign-in when the session ended; else the server was not reachable (Retry). */
  const sessionLost = () => setStatus({ phase: 'error', message: 'The connection to the live service was lost.', retrying: false });
  const view = useRef<BBox | null>(null);
  const subscribed = useRef<BBox | null>(null);
  const scopeRef = useRef<FleetScope>('fleet');

  const subscribe = useCallback(
    (socket: Socket, request: SubscribeRequest) => {
      const attempt = () => socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit(FLEET_EVENTS.subscribe, request, (timeout: Error | null, ack: SubscribeAck) => {
        if (timeout) {
          // Mostly a page too busy to take the answer in time (a slow machine, software
          // rendering): ask again while the socket is up; a reconnect subscribes anew anyway.
          setStatus({ phase: 'error', message: 'The server did not answer the subscription.', retrying: socket.connected });
          setTimeout(() => {
            if (socket.connected) attempt();
          }, RESUBSCRIBE_MS);
        } else if (!ack.ok) {
          if (ack.error.code === 'UNAUTHORIZED') void renewOrEnd().then((renewed) => (renewed ? socket.disconnect().connect() : sessionLost()));
          else if (ack.error.code === 'FORBIDDEN') setStatus({ phase: 'denied', message: ack.error.message });
          else setStatus({ phase: 'error', message: ack.error.message, retrying: false });
        } else {
          store.loadSnapshot(ack.vehicles);
          setStatus({ phase: 'live' });
        }
      });
      attempt();
    },
    [store],
  );

  /** (Re)subscribes to the area around the current view. */
  const subscribeViewport = useCallback(
    (socket: Socket) => {
      const box = subscriptionBox(view.current ?? [13.0, 52.3, 13.8, 52.7]);
      if (subscribed.current) socket.emit(FLEET_EVENTS.unsubscribe, { scope: 'viewport' });
      subscribed.current = box;
      subscribe(socket, { scope: 'viewport', bbox: box });
    },
    [subscribe],
  );

  useEffect(() => {
    // The token is read on every (re)connection: after a session refresh the socket
    // re-authenticates with the new one, without being torn down when the token changes.
    const socket = io('/fleet', { auth: socketAuth(token) });
    setSocket(socket);

    socket.on('connect', () => {
      // A short drop resumed with its subscription and missed frames: nothing to reload.
      if (socket.recovered) {
        setStatus({ phase: 'live' });
        return;
      }
      setStatus({ phase: 'loading' });
      subscribed.current = null;
      socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit(METRICS_EVENT, (timeout: Error | null, metrics: FleetMetricsSnapshot) => {
        // The KPI widgets get this snapshot as if pushed, rather than asking for their own.
        if (!timeout) for (const listener of socket.listeners(METRICS_EVENT)) listener(metrics);
        const large = !timeout && metrics.vehicles > LARGE_FLEET;
        scopeRef.current = large ? 'viewport' : 'fleet';
        setScope(scopeRef.current);
        if (large) subscribeViewport(socket);
        else subscribe(socket, { scope: 'fleet' });
      });
    });
    socket.on(FLEET_EVENTS.positions, (frame: PositionsFrame) => {
      const start = performance.now();
      store.applyFrame(frame);
      recordSpan('apply', start);
    });
    // Slow-client recovery: deltas were dropped while this tab could not keep up.
    socket.on(FLEET_EVENTS.snapshot, (frame: SnapshotFrame) => store.loadSnapshot(frame.vehicles));
    socket.on(FLEET_EVENTS.info, (info: VehicleInfo) => store.describe(info));
    socket.on(FLEET_EVENTS.removed, ({ idx }: { idx: number }) => store.remove(idx));
    socket.on(FLEET_EVENTS.status, (event: VehicleStatusEvent) => store.setOnline(event.idx, event.status === 'online'));
    socket.on(FLEET_EVENTS.route, (event: VehicleRouteEvent) => store.setRoute(event.id, event.idx, event.offRoute, event.route ?? null));
    socket.on('connect_error', (error: Error & { data?: { message?: string } }) => {
      if (error.message === 'UNAUTHORIZED') {
        // The access token expired or was cut off: renew it and connect again, or go to sign-in.
        void renewOrEnd().then((renewed) => (renewed ? socket.connect() : sessionLost()));
      }
      else if (error.message === 'FORBIDDEN') setStatus({ phase: 'denied', message: error.data?.message ?? 'Access denied.' });
      else if (error.data?.message) setStatus({ phase: 'error', message: error.data.message, retrying: socket.active });
      else setStatus({ phase: 'error', message: 'Cannot reach the live service.', retrying: socket.active });
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') {
        // The server closed it on purpose (the user's session was cut off, or it restarts):
        // renew the session and connect again, or go to sign-in.
        setStatus({ phase: 'connecting' });
        void renewOrEnd().then((renewed) => (renewed ? socket.connect() : sessionLost()));
        return;
      }
      setStatus({ phase: 'error', message: 'The connection to the live service was lost.', retrying: socket.active });
    });

    return () => {
      socket.disconnect();
      setSocket(null);
    };
    // Not on `token`: a refreshed token must not tear the live map down (socketAuth reads it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, subscribe, subscribeViewport]);

  /** The map moved: in viewport scope, subscribe again once the view leaves the subscribed area. */
  const setViewport = useCallback(
    (bbox: BBox) => {
      view.current = bbox;
      if (scopeRef.current !== 'viewport' || !socket?.connected) return;
      if (!subscribed.current || needsResubscribe(subscribed.current, bbox)) subscribeViewport(socket);
    },
    [socket, subscribeViewport],
  );

  /** Reconnect now (and subscribe again). */
  const retry = useCallback(() => {
    if (!socket) return;
    setStatus({ phase: 'connecting' });
    socket.disconnect().connect();
  }, [socket]);

  return { status, retry, socket, scope, setViewport };
}
