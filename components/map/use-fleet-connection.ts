'use client';

import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  FLEET_EVENTS,
  type PositionsFrame,
  type SubscribeAck,
  type SubscribeRequest,
  type VehicleInfo,
  type VehicleStatusEvent,
} from '@/server/protocol/fleet';
import type { VehicleStore } from './vehicle-store';

const SUBSCRIBE_TIMEOUT_MS = 15_000;

export type FleetStatus =
  | { phase: 'connecting' }
  | { phase: 'loading' }
  | { phase: 'live' }
  /** The role may not watch the fleet (FORBIDDEN): retrying cannot help. */
  | { phase: 'denied'; message: string }
  | { phase: 'error'; message: string; retrying: boolean };

/**
 * The /fleet socket: subscribes to the whole fleet on every connect that did not resume a
 * session (Socket.IO connection-state recovery), loads the snapshot and feeds frames, facts and
 * presence into the store. Only phase changes reach React state.
 */
export function useFleetConnection(store: VehicleStore, token: string, onUnauthorized: () => void) {
  const [status, setStatus] = useState<FleetStatus>({ phase: 'connecting' });
  const socketRef = useRef<Socket | null>(null);
  const unauthorized = useEffectEvent(onUnauthorized);

  useEffect(() => {
    const socket = io('/fleet', { auth: { token } });
    socketRef.current = socket;

    socket.on('connect', () => {
      // A short drop resumed with its subscription and missed frames: nothing to reload.
      if (socket.recovered) {
        setStatus({ phase: 'live' });
        return;
      }
      setStatus({ phase: 'loading' });
      const request: SubscribeRequest = { scope: 'fleet' };
      socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit(FLEET_EVENTS.subscribe, request, (timeout: Error | null, ack: SubscribeAck) => {
        if (timeout) {
          setStatus({ phase: 'error', message: 'The server did not answer the subscription.', retrying: false });
        } else if (!ack.ok) {
          if (ack.error.code === 'UNAUTHORIZED') unauthorized();
          else if (ack.error.code === 'FORBIDDEN') setStatus({ phase: 'denied', message: ack.error.message });
          else setStatus({ phase: 'error', message: ack.error.message, retrying: false });
        } else {
          store.loadSnapshot(ack.vehicles);
          setStatus({ phase: 'live' });
        }
      });
    });
    socket.on(FLEET_EVENTS.positions, (frame: PositionsFrame) => store.applyFrame(frame));
    socket.on(FLEET_EVENTS.info, (info: VehicleInfo) => store.describe(info));
    socket.on(FLEET_EVENTS.removed, ({ idx }: { idx: number }) => store.remove(idx));
    socket.on(FLEET_EVENTS.status, (event: VehicleStatusEvent) => store.setOnline(event.idx, event.status === 'online'));
    socket.on('connect_error', (error: Error & { data?: { message?: string } }) => {
      if (error.message === 'UNAUTHORIZED') unauthorized();
      else if (error.message === 'FORBIDDEN') setStatus({ phase: 'denied', message: error.data?.message ?? 'Access denied.' });
      else if (error.data?.message) setStatus({ phase: 'error', message: error.data.message, retrying: socket.active });
      else setStatus({ phase: 'error', message: 'Cannot reach the live service.', retrying: socket.active });
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      setStatus({ phase: 'error', message: 'The connection to the live service was lost.', retrying: socket.active });
    });

    return () => {
      socket.disconnect();
      socketRef.current = null;
    };
  }, [store, token]);

  /** Reconnect now (and subscribe again). */
  const retry = useCallback(() => {
    const socket = socketRef.current;
    if (!socket) return;
    setStatus({ phase: 'connecting' });
    socket.disconnect().connect();
  }, []);

  return { status, retry };
}
