'use client';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { FleetMetricsSnapshot } from '@/server/protocol/metrics';
import { activitySeries } from './activity-series';

const HEIGHT = 130;

/** Positions per second and alerts per minute over the last 10 minutes (uPlot, two y scales). */
export default function ActivityChart({ metrics, alertCreatedAt }: { metrics: FleetMetricsSnapshot; alertCreatedAt: readonly number[] | null }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = activitySeries(metrics, alertCreatedAt);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const axis = { stroke: '#64748b', grid: { stroke: '#f1f5f9' }, ticks: { stroke: '#e2e8f0' }, font: '10px ui-sans-serif, system-ui' };
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, pos: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] }, alerts: { range: (_u, _min, max) => [0, Math.max(4, max * 1.15)] } },
        series: [
          {},
          { label: 'Positions/s', scale: 'pos', stroke: '#10b981', fill: 'rgba(16,185,129,0.12)', width: 1.5, points: { show: false } },
          { label: 'Alerts/min', scale: 'alerts', stroke: '#dc2626', width: 1.5, points: { show: false } },
        ],
        axes: [
          { ...axis, space: 60 },
          { ...axis, scale: 'pos', size: 40 },
          { ...axis, scale: 'alerts', side: 1, size: 28, grid: { show: false } },
        ],
      },
      latest.current as uPlot.AlignedData,
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  });

  return (
    <div data-testid="activity-chart">
      <div className="mb-1 flex gap-4 px-1 text-[11px] text-slate-600">
        <span className="flex items-center gap-1.5">
          <span className="h-0.5 w-3 bg-emerald-500" aria-hidden /> Positions / s (left)
        </span>
        <span className="flex items-center gap-1.5">
          <span className="h-0.5 w-3 bg-red-600" aria-hidden /> Alerts / min (right){alertCreatedAt ? '' : ': unavailable'}
        </span>
      </div>
      <div ref={container} className="w-full" />
    </div>
  );
}
