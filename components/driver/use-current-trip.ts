'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { TripDto, TripListResult, TripStatus } from '@/server/protocol/trips';
import { recall, remember } from './driver-memory';
import { moveErrorText } from './trip-card';

/** How often the driver's trips are fetched again (changes made on the dashboard). */
const TRIPS_REFRESH_MS = 5000;

const unauthorized = (error: unknown) => error instanceof RequestError && error.status === 401;
/** No answer at all (no network, no server). */
export const unreachable = (error: unknown) => error instanceof RequestError && error.status === 0;

/**
 * The signed-in driver's active trips (the server lists only trips naming them as driver),
 * polled every TRIPS_REFRESH_MS while the page is visible and online, and the move of a trip to
 * its next state. A move is never queued: offline it fails at once (networkMode 'always') and
 * the card does not offer it; after each move the list is fetched again. Each list fetched is
 * remembered on the phone: a page opened offline shows the trips as last seen (`dataUpdatedAt`
 * says when); online, only the server's answer is shown.
 */
export function useCurrentTrips(userId: string, token: string, online: boolean) {
  const client = useQueryClient();
  const queryKey = ['driver-trips', userId, token];
  const trips = useQuery({
    queryKey,
    enabled: online,
    queryFn: async () => {
      const list = (await apiJson<TripListResult>('/api/v1/trips?active=true')).trips;
      remember(userId, { trips: { at: Date.now(), list } });
      return list;
    },
    initialData: () => (navigator.onLine ? undefined : recall(userId).trips?.list),
    initialDataUpdatedAt: () => recall(userId).trips?.at,
    // TanStack Query pauses the interval while the page is hidden (refetchIntervalInBackground off).
    // After a refusal with nothing to show, the card offers "Try again" instead.
    refetchInterval: (query) => (unauthorized(query.state.error) || (query.state.error && !query.state.data) ? false : TRIPS_REFRESH_MS),
    // No answer at all (no network, no server): keep trying quietly; the card says so meanwhile.
    retry: (failures, error) => !unauthorized(error) && (unreachable(error) || failures < 2),
    retryDelay: (failures) => Math.min(1000 * 2 ** failures, TRIPS_REFRESH_MS),
  });
  const move = useMutation({
    networkMode: 'always',
    mutationFn: async ({ id, status }: { id: string; status: TripStatus }) => {
      try {
        return (await apiJson<{ trip: TripDto }>(`/api/v1/trips/${id}/status`, { body: { status } })).trip;
      } catch (error) {
        if (error instanceof RequestError) throw new RequestError(error.status, error.code, moveErrorText(error.status, error.message), error.field);
        throw error;
      }
    },
    onSettled: () => client.invalidateQueries({ queryKey }),
  });
  return { trips, move };
}
