'use client';

import type { Map as MapLibreMap } from 'maplibre-gl';
import dynamic from 'next/dynamic';
import { useRef } from 'react';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import { describeArea, HOME_MARGIN_M, type HomeArea } from '@/server/protocol/home-area';
import type { TenantDto } from '@/server/tenants/service';
import { useUpdateTenant } from './admin-api';
import { BUTTON, Panel } from './ui';

const HomeAreaMap = dynamic(() => import('./HomeAreaMap'), { ssr: false, loading: () => <div className="h-64 w-full animate-pulse rounded-md bg-slate-100" /> });

const rounded = (a: readonly number[]) => a.map((v) => Math.round(v * 1e5) / 1e5) as HomeArea;

/**
 * Tenant settings: the home area. Every map opens on it; trip and dispatch points far outside it
 * are refused. The admin frames it on the map ("Use this map view") or takes the road network's
 * extent; clearing it goes back to the road network's extent for the maps and checks nothing.
 */
export function HomeAreaPanel({ tenant, readOnly, basemap }: { tenant: TenantDto; readOnly: boolean; basemap: BasemapSettings }) {
  const update = useUpdateTenant();
  const map = useRef<MapLibreMap | null>(null);
  const shown = tenant.homeArea ?? tenant.roadsArea;
  const save = (homeArea: HomeArea | null) => update.mutate({ homeArea });
  const useView = () => {
    const b = map.current?.getBounds();
    if (b) save(rounded([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]));
  };

  return (
    <Panel title="Home area" testId="home-area-panel">
      <div className="space-y-3 p-4 text-sm">
        <p data-testid="home-area-status">
          {tenant.homeArea ? (
            <>
              Set to <strong>{describeArea(tenant.homeArea)}</strong>.
            </>
          ) : tenant.roadsArea ? (
            <>Not set: maps open on the road network&rsquo;s extent (dashed) and trip points are not checked.</>
          ) : (
            <>Not set, and no road network is imported yet: maps open on a default place and trip points are not checked.</>
          )}
        </p>
        <HomeAreaMap basemap={basemap} area={shown} dashed={!tenant.homeArea} onMap={(m) => (map.current = m)} />
        <p className="text-xs text-slate-500">
          Every map opens here. Trip pickups and dropoffs and dispatch locations more than {HOME_MARGIN_M / 1000} km outside it are refused, with a hint when latitude and longitude look swapped.
        </p>
        {!readOnly && (
          <div className="flex flex-wrap gap-2">
            <button type="button" className={BUTTON} onClick={useView} disabled={update.isPending} data-testid="home-area-use-view">
              Use this map view
            </button>
            {tenant.roadsArea && (
              <button type="button" className={BUTTON} onClick={() => save(rounded(tenant.roadsArea!))} disabled={update.isPending} data-testid="home-area-use-roads">
                Use the road network&rsquo;s extent
              </button>
            )}
            {tenant.homeArea && (
              <button type="button" className={BUTTON} onClick={() => save(null)} disabled={update.isPending} data-testid="home-area-clear">
                Clear
              </button>
            )}
          </div>
        )}
        {update.isError && (
          <p role="alert" className="text-xs text-red-700">
            {update.error.message}
          </p>
        )}
      </div>
    </Panel>
  );
}
