'use client';

import { useEffect, useEffectEvent } from 'react';
import type { Socket } from 'socket.io-client';

/** Calls `handler` for every `event` on the socket while mounted (the latest handler, no resubscribe). */
export function useSocketEvent<T>(socket: Socket | null, event: string, handler: (payload: T) => void): void {
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: T) => onEvent(payload);
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
  }, [socket, event]);
}

/**
 * Calls `handler` when the socket connects again after a drop it could not recover (Socket.IO
 * connection-state recovery replays what a short drop missed): the moment to reload what may
 * have changed meanwhile. Not on the first connect, when the page is loading it anyway.
 */
export function useReconnect(socket: Socket | null, handler: () => void): void {
  const onReconnect = useEffectEvent(handler);
  useEffect(() => {
    if (!socket) return;
    let connectedBefore = socket.connected;
    const listener = () => {
      if (connectedBefore && !socket.recovered) onReconnect();
      connectedBefore = true;
    };
    socket.on('connect', listener);
    return () => {
      socket.off('connect', listener);
    };
  }, [socket]);
}
