'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Socket } from 'socket.io-client';
import { geofencesQuery, QUERY_KEYS, withItem, withoutItem } from '@/components/ui/list-queries';
import { useReconnect, useSocketEvent } from '@/components/ui/use-socket-event';
import { GEOFENCE_EVENTS, type GeofenceDto } from '@/server/protocol/geofences';
import { FenceFlashes } from './fence-style';

/**
 * The tenant's fences from REST, kept fresh by `geofence:changed` / `geofence:removed` (the
 * cache is updated in place, no refetch), and the breach flashes from `geofence:event` (outside
 * React: a burst of events re-renders nothing).
 */
export function useLiveGeofences(socket: Socket | null) {
  const client = useQueryClient();
  const query = useQuery({ ...geofencesQuery, staleTime: Infinity });
  const [flashes] = useState(() => new FenceFlashes());

  useSocketEvent<GeofenceDto>(socket, GEOFENCE_EVENTS.changed, (fence) =>
    client.setQueryData<GeofenceDto[]>(QUERY_KEYS.geofences, (list) => withItem(list, fence)),
  );
  useSocketEvent<{ id: string }>(socket, GEOFENCE_EVENTS.removed, ({ id }) =>
    client.setQueryData<GeofenceDto[]>(QUERY_KEYS.geofences, (list) => withoutItem(list, id)),
  );
  useSocketEvent<Array<{ geofenceId: string }>>(socket, GEOFENCE_EVENTS.event, (events) => flashes.flash(events.map((e) => e.geofenceId)));
  // A drop the server could not replay may have missed changes: reload.
  useReconnect(socket, () => void client.invalidateQueries({ queryKey: QUERY_KEYS.geofences }));

  return { query, flashes };
}
