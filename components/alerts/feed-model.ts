import type { AlertDto } from '@/server/protocol/alerts';

/**
 * The alert feed's pure core: what it shows while it holds still, and how it groups.
 *
 * Holding still: while the pointer is over the feed (or focus is in it), the rows shown are the
 * ones that were there when it started holding, in the same order. New alerts are only counted
 * ("N new", shown on request); alerts removed by someone else stay in place, marked gone, so the
 * row under the pointer never moves. Changes to a shown alert (read, acknowledged) show at once.
 */
export interface FeedRow {
  alert: AlertDto;
  /** Deleted or expired since the feed started holding (kept in place, without actions). */
  gone: boolean;
}

export interface HeldView {
  rows: FeedRow[];
  /** Alerts in the list that are not shown (arrived while holding). */
  waiting: number;
}

/**
 * `held`: the alerts shown when holding began, or null when not holding. `hidden`: alerts this
 * user deleted (they leave at once: the person asked for it, and an undo toast says so).
 * `restored`: alerts this user brought back with undo; they return to their place even when the
 * hold began while they were deleted (the toast covers the feed, so clicking Undo can end one hold
 * and start the next before the restore has answered).
 */
export function holdStill(
  held: readonly AlertDto[] | null,
  current: readonly AlertDto[],
  hidden: ReadonlySet<string> = new Set(),
  restored: ReadonlySet<string> = new Set(),
): HeldView {
  if (held === null) return { rows: current.filter((a) => !hidden.has(a.id)).map((alert) => ({ alert, gone: false })), waiting: 0 };
  const byId = new Map(current.map((a) => [a.id, a]));
  const shown = new Set<string>();
  const rows: FeedRow[] = [];
  for (const a of held) {
    if (hidden.has(a.id)) continue;
    shown.add(a.id);
    const now = byId.get(a.id);
    rows.push(now ? { alert: now, gone: false } : { alert: a, gone: true });
  }
  let waiting = 0;
  for (const a of current) {
    if (shown.has(a.id) || hidden.has(a.id)) continue;
    if (restored.has(a.id)) insertInPlace(rows, a);
    else waiting++;
  }
  return { rows, waiting };
}

/** Newest first, as the list is ordered: by when the alert was raised, then by id. */
export const alertOrderKey = (a: AlertDto): string => `${a.createdAt}|${a.id}`;

function insertInPlace(rows: FeedRow[], alert: AlertDto): void {
  const key = alertOrderKey(alert);
  const at = rows.findIndex((r) => alertOrderKey(r.alert) < key);
  rows.splice(at === -1 ? rows.length : at, 0, { alert, gone: false });
}

export type GroupBy = 'none' | 'fence' | 'vehicle';

export interface FeedGroup {
  key: string;
  label: string;
  rows: FeedRow[];
  unread: number;
}

/**
 * Rows grouped by fence or by vehicle, each group in the order of its newest row (rows keep
 * their order inside a group); alerts without a fence / vehicle form one group at the end.
 */
export function groupRows(rows: readonly FeedRow[], by: Exclude<GroupBy, 'none'>, vehicleName: (id: string) => string | undefined): FeedGroup[] {
  const groups = new Map<string, FeedGroup>();
  for (const row of rows) {
    const a = row.alert;
    const id = by === 'fence' ? a.geofenceId : a.vehicleId;
    const key = id ?? '';
    let group = groups.get(key);
    if (!group) {
      group = { key, label: groupLabel(a, by, vehicleName), rows: [], unread: 0 };
      groups.set(key, group);
    }
    group.rows.push(row);
    if (!a.readAt && !row.gone) group.unread++;
  }
  const none = groups.get('');
  groups.delete('');
  return none ? [...groups.values(), none] : [...groups.values()];
}

function groupLabel(a: AlertDto, by: 'fence' | 'vehicle', vehicleName: (id: string) => string | undefined): string {
  if (by === 'fence') {
    if (!a.geofenceId) return 'Not about a fence';
    const name = a.details.fenceName;
    return typeof name === 'string' && name ? name : 'A deleted fence';
  }
  if (!a.vehicleId) return 'Not about a vehicle';
  return vehicleName(a.vehicleId) ?? (typeof a.details.vehicleName === 'string' ? a.details.vehicleName : 'Unknown vehicle');
}

/** "3 alerts", "1 alert". */
export function alertCount(n: number): string {
  return `${n} alert${n === 1 ? '' : 's'}`;
}
