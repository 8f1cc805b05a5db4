'use client';

import { useQuery } from '@tanstack/react-query';
import { apiJson } from '@/components/ui/api-fetch';
import type { DrivingEventDto, ScoresResult } from '@/server/protocol/driving';
import { ScoreBadge } from './DriversPage';
import { EventList } from './EventList';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Today's driving score and events of one vehicle (the map's vehicle panel) or of the signed-in
 * driver (the driver app: the server answers a driver with their own only).
 */
export function TodayDriving({ vehicleId, title = 'Driving today' }: { vehicleId?: string; title?: string }) {
  const day = today();
  const subject = vehicleId ? `subject=vehicle&vehicleId=${vehicleId}` : 'subject=driver';
  const score = useQuery({
    queryKey: ['scores', 'today', vehicleId ?? 'me', day],
    queryFn: () => apiJson<ScoresResult>(`/api/v1/scores?period=day&from=${day}&to=${day}&${subject}`),
    refetchInterval: 30_000,
  });
  const events = useQuery({
    queryKey: ['driving-events', 'today', vehicleId ?? 'me', day],
    queryFn: () => apiJson<{ events: DrivingEventDto[] }>(`/api/v1/driving-events?from=${day}T00:00:00Z&limit=5${vehicleId ? `&vehicleId=${vehicleId}` : ''}`),
    refetchInterval: 30_000,
  });
  const total = score.data?.totals[0];
  return (
    <div data-testid="today-driving">
      <div className="flex items-center gap-2 px-4 pt-3">
        <p className="text-[11px] font-medium text-slate-500">{title}</p>
        {total ? <ScoreBadge score={total} /> : <span className="text-xs text-slate-400">{score.isPending ? '…' : 'no driving yet'}</span>}
        {total && <span className="ml-auto text-xs text-slate-500">{total.distanceKm.toFixed(1)} km</span>}
      </div>
      {events.data && <EventList events={events.data.events} compact />}
    </div>
  );
}
