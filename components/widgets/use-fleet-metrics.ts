'use client';

import { useState } from 'react';
import type { Socket } from 'socket.io-client';
import { useSocketEvent } from '@/components/ui/use-socket-event';
import { METRICS_EVENT, type FleetMetricsSnapshot } from '@/server/protocol/metrics';

/**
 * The tenant's KPIs as the server pushes them every 2 s. The first snapshot comes sooner: the
 * fleet connection asks for one on connect (to choose its scope) and hands it to these listeners.
 */
export function useFleetMetrics(socket: Socket | null): FleetMetricsSnapshot | null {
  const [metrics, setMetrics] = useState<FleetMetricsSnapshot | null>(null);
  useSocketEvent<FleetMetricsSnapshot>(socket, METRICS_EVENT, setMetrics);
  return metrics;
}
