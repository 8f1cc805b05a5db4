'use client';

import { useEffect, useState } from 'react';
import type { Socket } from 'socket.io-client';
import { useSocketEvent } from '@/components/ui/use-socket-event';
import { METRICS_EVENT, type FleetMetricsSnapshot } from '@/server/protocol/metrics';

/** The tenant's KPIs: asked for once the socket connects, then pushed by the server every 2 s. */
export function useFleetMetrics(socket: Socket | null): FleetMetricsSnapshot | null {
  const [metrics, setMetrics] = useState<FleetMetricsSnapshot | null>(null);
  useSocketEvent<FleetMetricsSnapshot>(socket, METRICS_EVENT, setMetrics);
  useEffect(() => {
    if (!socket) return;
    const ask = () => socket.timeout(10_000).emit(METRICS_EVENT, (error: Error | null, snapshot: FleetMetricsSnapshot) => !error && setMetrics(snapshot));
    if (socket.connected) ask();
    socket.on('connect', ask);
    return () => {
      socket.off('connect', ask);
    };
  }, [socket]);
  return metrics;
}
