/**
 * Wall-clock time in an IANA time zone, for schedules and rules: the day of the week and the
 * minute of the day at an instant. Intl does the zone arithmetic (DST included); results are
 * cached per zone and minute, since fences are evaluated many times a second and zone offsets
 * only ever change on whole minutes.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  /** Minutes since local midnight, 0–1439. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA time zone this runtime knows (e.g. "Europe/Berlin", "UTC"). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

const DAY_NUMBER: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** A per-zone memo of the last minute asked for: positions arrive in time order. */
export class LocalClock {
  private minuteKey = NaN;
  private value: LocalTime = { day: 0, minute: 0 };

  constructor(readonly zone: string) {
    formatter(zone); // throws RangeError for an unknown zone
  }

  at(ts: number): LocalTime {
    const key = Math.floor(ts / 60_000);
    if (key === this.minuteKey) return this.value;
    let day = 0;
    let hour = 0;
    let minute = 0;
    for (const part of formatter(this.zone).formatToParts(key * 60_000)) {
      if (part.type === 'weekday') day = DAY_NUMBER[part.value] ?? 0;
      else if (part.type === 'hour') hour = Number(part.value);
      else if (part.type === 'minute') minute = Number(part.value);
    }
    this.minuteKey = key;
    this.value = { day, minute: hour * 60 + minute };
    return this.value;
  }
}

/** "HH:MM" of a minute of the day. */
export function hhmm(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}
