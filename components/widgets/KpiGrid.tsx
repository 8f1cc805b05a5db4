'use client';

import { useEffect, useRef, useState } from 'react';
import { SEVERITIES_DESC, SEVERITY_STYLE } from '@/components/alerts/severity';
import { LATENCY_SAMPLES, type VehicleStore } from '@/components/map/vehicle-store';
import { Spinner } from '@/components/ui/StateMessage';
import type { AlertSeverity } from '@/server/protocol/alerts';
import type { FleetMetricsSnapshot } from '@/server/protocol/metrics';
import { latencySummary, type LatencySummary } from './latency';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** One figure: a small label over a large number. */
function Kpi({ label, value, unit, dot, testId }: { label: string; value: string; unit?: string; dot?: string; testId: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-2.5 py-2" data-testid={testId}>
      <p className="flex items-center gap-1.5 text-[11px] font-medium text-slate-500">
        {dot && <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />}
        {label}
      </p>
      <p className="mt-0.5 whitespace-nowrap text-lg font-semibold leading-tight tabular-nums text-slate-900">
        {value}
        {unit && <span className="ml-1 text-xs font-medium text-slate-500">{unit}</span>}
      </p>
    </div>
  );
}

/** Device → dashboard latency from the store, recomputed every 2 s. */
function useLatency(store: VehicleStore): LatencySummary | null {
  const [summary, setSummary] = useState<LatencySummary | null>(null);
  const scratch = useRef(new Float32Array(LATENCY_SAMPLES));
  useEffect(() => {
    const timer = setInterval(() => setSummary(latencySummary(store, scratch.current)), 2_000);
    return () => clearInterval(timer);
  }, [store]);
  return summary;
}

/** Live fleet KPIs, system figures and open alerts by severity. */
export function KpiGrid({
  metrics,
  store,
  unread,
  alertsFailed,
}: {
  metrics: FleetMetricsSnapshot | null;
  store: VehicleStore;
  unread: Record<AlertSeverity, number> | undefined;
  alertsFailed: boolean;
}) {
  const latency = useLatency(store);
  if (!metrics) {
    return (
      <div className="flex items-center justify-center gap-2 py-8 text-sm text-slate-500" role="status">
        <Spinner className="h-4 w-4" /> Waiting for fleet figures…
      </div>
    );
  }
  return (
    <div className="space-y-2 p-3" data-testid="kpis">
      <div className="grid grid-cols-4 gap-1.5">
        <Kpi testId="kpi-active" label="Active" value={integer.format(metrics.active)} />
        <Kpi testId="kpi-moving" label="Moving" dot="bg-emerald-500" value={integer.format(metrics.moving)} />
        <Kpi testId="kpi-stopped" label="Stopped" dot="bg-amber-500" value={integer.format(metrics.stopped)} />
        <Kpi testId="kpi-offline" label="Offline" dot="bg-slate-400" value={integer.format(metrics.offline)} />
      </div>
      <div className="grid grid-cols-2 gap-1.5">
        <Kpi testId="kpi-speed" label="Average speed (moving)" value={metrics.avgSpeedKmh === null ? '—' : integer.format(metrics.avgSpeedKmh)} unit="km/h" />
        <Kpi testId="kpi-distance" label="Distance today" value={oneDecimal.format(metrics.distanceTodayKm)} unit="km" />
        <Kpi testId="kpi-ingest" label="Ingest rate" value={integer.format(metrics.ingestPerSec)} unit="pos/s" />
        <Kpi
          testId="kpi-latency"
          label="Latency p50 / p95"
          value={latency ? `${integer.format(latency.p50)} / ${integer.format(latency.p95)}` : '—'}
          unit="ms"
        />
      </div>
      <div className="flex items-center gap-1.5 rounded-lg bg-slate-50 px-2.5 py-2" data-testid="kpi-alerts">
        <span className="text-[11px] font-medium text-slate-500">Open alerts</span>
        <span className="ml-auto flex gap-1.5">
          {SEVERITIES_DESC.map((s) => (
            <span key={s} title={`${SEVERITY_STYLE[s].label}: unread`} className={`min-w-9 rounded px-1.5 py-0.5 text-center text-xs font-semibold tabular-nums ring-1 ${SEVERITY_STYLE[s].badge}`}>
              {alertsFailed ? '—' : unread ? unread[s] : '…'}
              <span className="sr-only"> {SEVERITY_STYLE[s].label}</span>
            </span>
          ))}
        </span>
      </div>
    </div>
  );
}
