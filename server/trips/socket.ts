import type { Namespace } from 'socket.io';
import { TRIP_EVENTS, type TripDto } from '../protocol/trips';
import { catalogRooms } from '../realtime/catalog-room';
import type { ScopeHandler } from '../realtime/fleet-hub';
import type { TripListener, TripService } from './service';

/** Room of one trip's subscribers on /fleet (trip ids are unique across tenants). */
export const tripRoom = (tripId: string) => `trip:${tripId}`;

/**
 * `subscribe {scope: "trip", id}` on /fleet: the trip must be visible to the caller (same
 * tenant); the socket joins the trip's room and the ack carries the trip. Its vehicle's
 * positions come with a `{scope: "vehicle", id: trip.vehicleId}` subscription.
 */
export function tripScope(trips: TripService): ScopeHandler {
  return {
    async subscribe(socket, principal, request) {
      if (request.scope !== 'trip') throw new Error(`trip scope handler got scope ${request.scope}`);
      const trip = await trips.forSubscriber(principal, request.id);
      await socket.join(tripRoom(trip.id));
      return { ok: true, vehicles: [], trip };
    },
    unsubscribe(socket, _principal, request) {
      if (request.scope === 'trip') void socket.leave(tripRoom(request.id.toLowerCase()));
    },
  };
}

/** `trip:update` (TripDto) to every /fleet socket of the tenant (dashboards, /trips) and the trip's subscribers, once per socket. */
export function tripBroadcaster(fleet: () => Namespace): TripListener {
  return {
    changed(tenantId: string, trip: TripDto) {
      fleet().to(catalogRooms(tenantId)).to(tripRoom(trip.id)).emit(TRIP_EVENTS.update, trip);
    },
  };
}
