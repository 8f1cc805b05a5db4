import { LocalClock, WEEKDAYS, isTimeZone, type Weekday } from './local-time';

/**
 * Weekly schedules of temporal fences: `{timezone, windows: [{days, start, end}]}` with days
 * "mon"…"sun" and local "HH:MM" times. A window covers [start, end) on each of its days; an end
 * before its start runs past midnight into the next day (fri 22:00–06:00 ends Saturday 06:00);
 * "24:00" ends at midnight. Local time follows the zone's DST rules: on a spring-forward day a
 * window starting inside the skipped hour begins at the first local minute after it; on a
 * fall-back day the repeated hour counts twice.
 */
export interface WeeklySchedule {
  timezone: string;
  windows: Array<{ days: Weekday[]; start: string; end: string }>;
}

export class ScheduleError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minuteOf(value: unknown, path: string): number {
  if (typeof value !== 'string' || !TIME.test(value)) throw new ScheduleError('must be a local time "HH:MM" (00:00–24:00)', path);
  const [h, m] = value.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** A schedule compiled to a 7 × 1440 table of active minutes, with a memo per minute. */
export class CompiledSchedule {
  private readonly active = new Uint8Array(7 * 1440);
  private readonly clock: LocalClock;

  constructor(schedule: WeeklySchedule) {
    if (!schedule || typeof schedule !== 'object') throw new ScheduleError('must be an object {timezone, windows}', '');
    if (typeof schedule.timezone !== 'string' || !isTimeZone(schedule.timezone)) {
      throw new ScheduleError('must be an IANA time zone such as "Europe/Berlin" or "UTC"', 'timezone');
    }
    if (!Array.isArray(schedule.windows) || schedule.windows.length === 0) throw new ScheduleError('must hold at least one window', 'windows');
    if (schedule.windows.length > 100) throw new ScheduleError('may hold at most 100 windows', 'windows');
    this.clock = new LocalClock(schedule.timezone);
    schedule.windows.forEach((w, i) => {
      const path = `windows.${i}`;
      if (!w || typeof w !== 'object') throw new ScheduleError('must be an object {days, start, end}', path);
      if (!Array.isArray(w.days) || w.days.length === 0) throw new ScheduleError(`must list days (${WEEKDAYS.join(', ')})`, `${path}.days`);
      const start = minuteOf(w.start, `${path}.start`);
      const end = minuteOf(w.end, `${path}.end`);
      if (start === 1440) throw new ScheduleError('must be before 24:00', `${path}.start`);
      if (start === end) throw new ScheduleError('must differ from start (use 00:00–24:00 for a whole day)', `${path}.end`);
      for (const [k, day] of w.days.entries()) {
        const d = WEEKDAYS.indexOf(day);
        if (d < 0) throw new ScheduleError(`must be one of ${WEEKDAYS.join(', ')}`, `${path}.days.${k}`);
        if (start < end) this.fill(d, start, end);
        else {
          this.fill(d, start, 1440);
          this.fill((d + 1) % 7, 0, end);
        }
      }
    });
  }

  private fill(day: number, from: number, to: number): void {
    this.active.fill(1, day * 1440 + from, day * 1440 + to);
  }

  /** Whether the schedule is active at instant `ts` (epoch ms). */
  isActive(ts: number): boolean {
    const t = this.clock.at(ts);
    return this.active[t.day * 1440 + t.minute] === 1;
  }
}
