'use client';

import { useMemo } from 'react';
import type { Socket } from 'socket.io-client';
import { useAlertList } from '@/components/alerts/use-alerts';
import type { VehicleStore } from '@/components/map/vehicle-store';
import { Section, StateMessage } from '@/components/ui/StateMessage';
import ActivityChart from './ActivityChart';
import { KpiGrid } from './KpiGrid';
import { useFleetMetrics } from './use-fleet-metrics';

/**
 * The sidebar's figures: live KPIs and the activity chart. It owns the pushed metrics and the
 * alert list it counts, so a KPI push (every 2 s) or a new alert re-renders these widgets only,
 * not the map page around them.
 */
export function FleetFigures({ socket, store, viewportScope }: { socket: Socket | null; store: VehicleStore; viewportScope: boolean }) {
  const metrics = useFleetMetrics(socket);
  const alerts = useAlertList(null);
  const alertCreatedAt = useMemo(() => (alerts.data ? alerts.data.alerts.map((a) => Date.parse(a.createdAt)) : null), [alerts.data]);
  return (
    <>
      <Section
        title="Fleet now"
        aside={viewportScope && <span className="text-[11px] text-slate-500" title="Large fleet: the map receives the area around the view">map: area in view</span>}
      >
        <KpiGrid metrics={metrics} store={store} unread={alerts.data?.unread} alertsFailed={alerts.isError} />
      </Section>
      {/* On a phone the chart gives its room to the alert feed. */}
      <Section title="Activity · last 10 min" className="hidden md:block">
        <div className="px-2 pb-1 pt-2">
          {metrics ? <ActivityChart metrics={metrics} alertCreatedAt={alertCreatedAt} /> : <StateMessage kind="loading" title="Waiting for the first figures…" />}
        </div>
      </Section>
    </>
  );
}
