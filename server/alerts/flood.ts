import type { NewAlert } from '../db/sql/alerts';
import { ALERT_SEVERITIES, type AlertSeverity } from '../protocol/alerts';
import { ALERT_TYPE_LABEL, type FloodProtection } from '../protocol/alert-rules';

/**
 * Flood protection (pure, in memory): one vehicle and one fence raise at most `maxPerWindow`
 * alerts one by one per window of `windowMinutes`, starting at the first. Further alerts of the
 * pair in that window are absorbed, and when the window ends ONE alert sums them up: "Van 12
 * entered and left Zone A 9 times in 5 min" (the count covers the whole window) instead of 18
 * rows. Alerts not about a vehicle and a fence pass untouched: speeding and low battery alert
 * once per episode already, offline once per transition, system errors once a minute.
 *
 * State: one small record per pair with alerts in the current window, dropped when it ends.
 */
interface Window {
  endsAt: number;
  windowMinutes: number;
  raised: number;
  total: number;
  /** Per fence event (enter/exit/…) or the alert type: how many in the window. */
  counts: Map<string, number>;
  severity: AlertSeverity;
  /** The last absorbed alert (null: none absorbed). */
  last: NewAlert | null;
  absorbed: number;
}

const VERB: Record<string, string> = { enter: 'entered', exit: 'left', cross: 'passed through', predicted_enter: 'was expected to enter' };

export class FloodGuard {
  private readonly windows = new Map<string, Window>();
  /** Summaries of windows that ended while a new one began, waiting for `flush`. */
  private ready: NewAlert[] = [];

  constructor(private readonly nameOf: (vehicleId: string) => string) {}

  /** The alert, when it is to be raised now; null when absorbed into its pair's summary. */
  admit(alert: NewAlert, limit: FloodProtection, now: number): NewAlert | null {
    if (!alert.vehicleId || !alert.geofenceId) return alert;
    const key = `${alert.tenantId}|${alert.vehicleId}|${alert.geofenceId}`;
    let w = this.windows.get(key);
    if (w && now >= w.endsAt) {
      const summary = this.summary(w);
      if (summary) this.ready.push(summary);
      w = undefined;
    }
    if (!w) {
      w = { endsAt: now + limit.windowMinutes * 60_000, windowMinutes: limit.windowMinutes, raised: 0, total: 0, counts: new Map(), severity: alert.severity, last: null, absorbed: 0 };
      this.windows.set(key, w);
    }
    w.total++;
    const what = typeof alert.details?.event === 'string' ? alert.details.event : alert.type;
    w.counts.set(what, (w.counts.get(what) ?? 0) + 1);
    if (ALERT_SEVERITIES.indexOf(alert.severity) > ALERT_SEVERITIES.indexOf(w.severity)) w.severity = alert.severity;
    if (w.raised < limit.maxPerWindow) {
      w.raised++;
      return alert;
    }
    w.absorbed++;
    w.last = alert;
    return null;
  }

  /** Summaries of the windows that have ended by `now` (and forgets them). */
  flush(now: number): NewAlert[] {
    const out = this.ready;
    this.ready = [];
    for (const [key, w] of this.windows) {
      if (now < w.endsAt) continue;
      this.windows.delete(key);
      const summary = this.summary(w);
      if (summary) out.push(summary);
    }
    return out;
  }

  /** Pairs with a window open (memory: one small record each). */
  get size(): number {
    return this.windows.size;
  }

  forgetVehicle(vehicleId: string): void {
    for (const key of this.windows.keys()) if (key.split('|')[1] === vehicleId) this.windows.delete(key);
  }

  private summary(w: Window): NewAlert | null {
    const last = w.last;
    if (!last) return null;
    const vehicle = this.nameOf(last.vehicleId!);
    const fenceName = typeof last.details?.fenceName === 'string' ? last.details.fenceName : null;
    const counts = Object.fromEntries(w.counts);
    let message: string;
    if (fenceName) {
      const verbs = [...w.counts.keys()].map((k) => VERB[k] ?? k);
      const times = Math.max(...w.counts.values());
      message = `${vehicle} ${verbs.join(' and ')} ${fenceName} ${times} time${times === 1 ? '' : 's'} in ${w.windowMinutes} min`;
    } else {
      message = `${vehicle}: ${w.total} ${ALERT_TYPE_LABEL[last.type].toLowerCase()} alerts in ${w.windowMinutes} min`;
    }
    return {
      ...last,
      severity: w.severity,
      message,
      details: { ...last.details, aggregated: true, count: w.total, absorbed: w.absorbed, counts, windowMinutes: w.windowMinutes },
    };
  }
}
