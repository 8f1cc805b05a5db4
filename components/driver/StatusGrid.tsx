import { relativeTime } from '@/components/ui/relative-time';
import type { LinkState } from './driver-link';
import { accuracyLabel, clockTime } from './format';
import type { TrackerView } from './tracker';

const LINK: Record<LinkState['phase'], { label: string; dot: string; hint: string }> = {
  online: { label: 'Online', dot: 'bg-emerald-500', hint: 'fixes go straight to the server' },
  connecting: { label: 'Connecting…', dot: 'bg-amber-400 animate-pulse', hint: 'fixes wait on this phone' },
  offline: { label: 'Offline', dot: 'bg-red-500', hint: 'fixes wait on this phone' },
  unreachable: { label: 'No server', dot: 'bg-red-500', hint: 'retrying; fixes wait on this phone' },
  unauthorized: { label: 'Signed out', dot: 'bg-red-500', hint: 'sign in again to send' },
  forbidden: { label: 'Not allowed', dot: 'bg-red-500', hint: 'this account cannot send' },
};

/** Connection, queue, last fix and last acknowledgement: the four facts a driver checks. */
export function StatusGrid({ view, now }: { view: TrackerView; now: number }) {
  const link = LINK[view.link.phase];
  return (
    <section className="grid grid-cols-2 gap-3">
      <Tile title="Connection" testId="connection-state" value={
        <span className="flex items-center gap-2">
          <span className={`h-2.5 w-2.5 rounded-full ${link.dot}`} aria-hidden />
          {link.label}
        </span>
      } hint={view.retrying && view.link.phase === 'online' ? `server busy, retrying in ${Math.round(view.retrying.inMs / 1000)} s` : link.hint} />
      <Tile
        title="Queued"
        testId="queued-count"
        value={<span className="tabular-nums">{view.queued}</span>}
        hint={view.queued === 1 ? 'fix not yet acknowledged' : 'fixes not yet acknowledged'}
      />
      <Tile
        title="Last fix"
        testId="last-fix"
        value={view.lastFix ? clockTime(view.lastFix.timestamp) : '—'}
        hint={view.lastFix ? `${accuracyLabel(view.lastFix.accuracy)} · ${relativeTime(view.lastFix.timestamp, now)}` : 'no fix yet'}
      />
      <Tile
        title="Last acknowledged"
        testId="last-ack"
        value={view.lastAckAt ? clockTime(view.lastAckAt) : '—'}
        hint={view.lastAckAt ? relativeTime(view.lastAckAt, now) : 'nothing sent yet'}
      />
    </section>
  );
}

function Tile({ title, value, hint, testId }: { title: string; value: React.ReactNode; hint: string; testId: string }) {
  return (
    <div className="rounded-2xl bg-white p-3.5 shadow-sm" data-testid={testId}>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</p>
      <p className="mt-1 text-lg font-semibold tabular-nums" data-testid={`${testId}-value`}>
        {value}
      </p>
      <p className="text-xs text-slate-500">{hint}</p>
    </div>
  );
}
