'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { AlertFeed } from '@/components/alerts/AlertFeed';
import { AlertToasts, useCriticalToasts } from '@/components/alerts/AlertToasts';
import { useLiveAlerts } from '@/components/alerts/use-alerts';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { TripControls } from '@/components/trips/TripControls';
import { FleetFigures } from '@/components/widgets/FleetFigures';
import type { LoginResponse } from '@/server/protocol/auth';
import type { BasemapSettings } from './basemap-settings';
import type { GeofenceDto } from '@/server/protocol/geofences';
import type { RouteDto } from '@/server/protocol/routes';
import { MapStatusOverlay } from './MapStatusOverlay';
import { FenceLegend, MapToolbar } from './MapToolbar';
import type { Viewport } from './MapView';
import { DEFAULT_TOGGLES, TRAIL_MINUTES, type LayerToggles } from './map-options';
import { TopBar } from './TopBar';
import { mapUrlSearch, parseMapUrl, type MapUrlState } from './url-state';
import { exposeTestHooks } from './test-hooks';
import { useFleetConnection } from './use-fleet-connection';
import { useLiveGeofences } from './use-geofences';
import { useLiveRoutes } from './use-routes';
import { useLiveTrips } from '@/components/trips/trip-api';
import { useDriverStatuses, useLiveDriverStatuses } from './use-driver-status';
import { useTrail } from './use-trail';
import { VehiclePanel } from './VehiclePanel';
import { RouteWidget } from '@/components/routes/RouteWidget';
import { VehicleSearch } from './VehicleSearch';
import { PlaceSearch } from './PlaceSearch';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { allowedIds, VehicleStore, type VehicleFilter } from './vehicle-store';
import { useVehicleGroups } from './use-vehicle-groups';

const NO_FENCES: GeofenceDto[] = [];
const NO_ROUTES: RouteDto[] = [];

// MapLibre and deck.gl touch the browser when imported: load them on the client only.
const MapView = dynamic(() => import('./MapView'), { ssr: false });

/** The live dashboard: requires a session, otherwise goes to /login; drivers go to their page. */
export function LiveMap({ basemap }: { basemap: BasemapSettings }) {
  const session = useRequiredSession();
  const isDriver = session?.user.role === 'driver';

  useEffect(() => {
    // A full page load, as after sign-in: only a document opened at /driver is controlled by its
    // service worker (offline shell).
    if (isDriver) window.location.replace('/driver');
  }, [isDriver]);

  if (!session || isDriver) return null;
  return <LiveFleet session={session} basemap={basemap} />;
}

/** Vehicle types present, recomputed only when the set of vehicles changed. */
function useVehicleTypes(store: VehicleStore, subscribe: (notify: () => void) => () => void): string[] {
  const cache = useRef<{ key: string; types: string[] }>({ key: '', types: [] });
  const key = useSyncExternalStore(subscribe, () => `${store.membershipVersion}:${store.vehicleCount()}`, () => '');
  if (cache.current.key !== key) cache.current = { key, types: store.types() };
  return cache.current.types;
}

function LiveFleet({ session, basemap }: { session: LoginResponse; basemap: BasemapSettings }) {
  const [store] = useState(() => new VehicleStore());
  const signOut = useCallback(() => clearSession(), []);
  const { status, retry, socket, scope, setViewport } = useFleetConnection(store, session.token);
  const subscribe = useCallback((notify: () => void) => store.onChange(notify), [store]);
  // Counts change rarely; these snapshots are numbers, so position frames do not re-render React.
  const vehicleCount = useSyncExternalStore(subscribe, () => store.vehicleCount(), () => 0);
  const placedCount = useSyncExternalStore(subscribe, () => store.count, () => 0);
  const types = useVehicleTypes(store, subscribe);

  // Position, selected vehicle and filters live in the URL: a reload keeps them.
  const [fromUrl] = useState<MapUrlState>(() => parseMapUrl(window.location.search));
  const [filter, setFilter] = useState<VehicleFilter>(fromUrl.filter);
  const [toggles, setToggles] = useState<LayerToggles>(DEFAULT_TOGGLES);
  const [selectedId, setSelectedId] = useState<string | null>(fromUrl.vehicleId);
  const [view, setView] = useState(fromUrl.view);
  const [follow, setFollow] = useState(false);
  const [focus, setFocus] = useState<{ id: string; nonce: number } | null>(null);
  const [trailMinutes, setTrailMinutes] = useState<number>(TRAIL_MINUTES[0]);
  const [map, setMap] = useState<MapLibreMap | null>(null);

  const { query: fences, flashes } = useLiveGeofences(socket);
  const routes = useLiveRoutes(socket);
  useLiveTrips(socket);
  useLiveDriverStatuses(socket);
  const trail = useTrail(selectedId, trailMinutes, toggles.trails);
  const toasts = useCriticalToasts();
  useLiveAlerts(socket, toasts.push);

  useEffect(() => exposeTestHooks(store), [store]);
  // A vehicle group (admin console) and a dispatch status resolve to their vehicles for the store's filter.
  const vehicleGroups = useVehicleGroups();
  const driverStatuses = useDriverStatuses(Boolean(filter.dispatch));
  useEffect(() => {
    const inGroup = filter.group ? (vehicleGroups.get(filter.group) ?? new Set<string>()) : null;
    const withStatus = filter.dispatch ? new Set([...(driverStatuses ?? [])].filter(([, s]) => s === filter.dispatch).map(([id]) => id)) : null;
    store.setFilter({ ...filter, vehicleIds: allowedIds(inGroup, withStatus) });
  }, [store, filter, vehicleGroups, driverStatuses]);
  useEffect(() => {
    const search = mapUrlSearch({ view, vehicleId: selectedId, filter }, window.location.search);
    if (search !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
  }, [view, selectedId, filter]);

  const select = useCallback((id: string) => {
    setSelectedId(id);
    setFollow(false);
  }, []);
  const selectAndFly = useCallback((id: string) => {
    select(id);
    setFocus((f) => ({ id, nonce: (f?.nonce ?? 0) + 1 }));
  }, [select]);
  const endFollow = useCallback(() => setFollow(false), []);
  const onViewport = useCallback((viewport: Viewport) => {
    setViewport(viewport.bbox);
    const [w, s, e, n] = viewport.bbox;
    setView({ center: [(w + e) / 2, (s + n) / 2], zoom: viewport.zoom });
  }, [setViewport]);

  return (
    <div className="flex h-full flex-col">
      <TopBar user={session.user} vehicleCount={vehicleCount} status={status} onSignOut={signOut} search={<VehicleSearch store={store} onChoose={selectAndFly} />} />
      {/* Phones: the map on top, figures and alerts below it (scrolling); from md: side by side. */}
      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        <div className="relative min-h-[50vh] min-w-0 flex-1 md:min-h-0">
          <MapView
            store={store}
            basemap={basemap}
            toggles={toggles}
            fences={fences.data ?? NO_FENCES}
            flashes={flashes}
            routes={routes.data ?? NO_ROUTES}
            selectedId={selectedId}
            follow={follow}
            onSelect={select}
            onFollowEnd={endFollow}
            trail={trail.data}
            trailMinutes={trailMinutes}
            focus={focus}
            onViewport={onViewport}
            onMap={setMap}
            initialView={fromUrl.view}
          />
          {/* Toolbar and place search share the top edge; on a narrow map the search wraps below, never over it. */}
          <div className="pointer-events-none absolute inset-x-3 top-3 z-20 flex flex-wrap items-start gap-2">
            <MapToolbar filter={filter} onFilter={setFilter} types={types} toggles={toggles} onToggles={setToggles} groups={[...vehicleGroups.keys()]} />
            <div className="pointer-events-auto ml-auto">
              <PlaceSearch map={map} variant="light" />
            </div>
          </div>
          <div className="absolute bottom-8 right-3 z-20">
            <RouteWidget store={store} routes={routes.data ?? NO_ROUTES} onSelectVehicle={selectAndFly} />
          </div>
          {selectedId && (
            <VehiclePanel
              key={selectedId}
              store={store}
              id={selectedId}
              role={session.user.role}
              fences={fences.data ?? NO_FENCES}
              follow={follow}
              onFollow={setFollow}
              trailMinutes={trailMinutes}
              onTrailMinutes={setTrailMinutes}
              onClose={() => setSelectedId(null)}
              tripControls={<TripControls vehicleId={selectedId} readOnly={session.user.role === 'viewer'} />}
              routes={routes.data ?? NO_ROUTES}
            />
          )}
          <AlertToasts toasts={toasts.toasts} onDismiss={toasts.dismiss} onSelectVehicle={selectAndFly} />
          <MapStatusOverlay status={status} placedCount={placedCount} onRetry={retry} />
          {toggles.geofences && (fences.data?.length ?? 0) > 0 && <FenceLegend />}
          {(fences.isError || routes.isError) && (
            <p role="alert" className="absolute bottom-3 left-3 z-10 rounded-lg bg-white/95 px-3 py-1.5 text-xs text-red-700 shadow">
              {fences.isError ? `Geofences could not be loaded: ${fences.error.message}` : `Routes could not be loaded: ${routes.error?.message}`}
            </p>
          )}
        </div>

        <aside
          className="flex h-[50vh] w-full shrink-0 flex-col gap-3 overflow-y-auto border-t border-slate-200 bg-slate-100 p-3 md:h-auto md:w-[380px] md:overflow-hidden md:border-l md:border-t-0"
          aria-label="Fleet figures and alerts"
        >
          <FleetFigures socket={socket} store={store} viewportScope={scope === 'viewport'} />
          <AlertFeed canAct={session.user.role !== 'viewer'} onSelectVehicle={selectAndFly} vehicleName={(id) => store.infoOf(id)?.name} />
        </aside>
      </div>
    </div>
  );
}
