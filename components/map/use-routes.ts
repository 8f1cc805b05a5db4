'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Socket } from 'socket.io-client';
import { QUERY_KEYS, routesQuery, withItem, withoutItem } from '@/components/ui/list-queries';
import { useReconnect, useSocketEvent } from '@/components/ui/use-socket-event';
import { ROUTE_EVENTS, type RouteDto } from '@/server/protocol/routes';

/**
 * The tenant's routes from REST, kept fresh by `route:changed` / `route:removed` (the cache is
 * updated in place, no refetch); reloaded after a reconnect.
 */
export function useLiveRoutes(socket: Socket | null) {
  const client = useQueryClient();
  const query = useQuery({ ...routesQuery, staleTime: Infinity });
  useSocketEvent<RouteDto>(socket, ROUTE_EVENTS.changed, (route) =>
    client.setQueryData<RouteDto[]>(QUERY_KEYS.routes, (list) => withItem(list, route)),
  );
  useSocketEvent<{ id: string }>(socket, ROUTE_EVENTS.removed, ({ id }) => client.setQueryData<RouteDto[]>(QUERY_KEYS.routes, (list) => withoutItem(list, id)));
  useReconnect(socket, () => void client.invalidateQueries({ queryKey: QUERY_KEYS.routes }));
  return query;
}
