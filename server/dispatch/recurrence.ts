/**
 * Recurring scheduled requests: an RFC 5545 RRULE (`FREQ=WEEKLY;BYDAY=MO,WE`, `FREQ=DAILY;COUNT=5`)
 * applied from the series' first scheduled time, through the maintained `rrule` library. The
 * rule's own DTSTART is not accepted: the first `scheduledTime` is the start.
 */
import * as rruleModule from 'rrule';

type RRuleClass = typeof rruleModule.RRule;
// rrule ships a UMD main (CommonJS under Node) and an ESM build (bundlers): take the class from either.
const RRule: RRuleClass = (rruleModule as { RRule?: RRuleClass }).RRule ?? (rruleModule as unknown as { default: { RRule: RRuleClass } }).default.RRule;

const EXAMPLE = 'an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO,WE or FREQ=DAILY;COUNT=10';

/** Why `rule` is not a usable recurrence, or null when it is. */
export function recurrenceProblem(rule: string): string | null {
  const text = rule.trim().replace(/^RRULE:/i, '');
  if (!/^FREQ=/i.test(text) && !/;FREQ=/i.test(text)) return `must be ${EXAMPLE}`;
  if (/DTSTART/i.test(text)) return 'must not contain DTSTART (the scheduled time is the start)';
  try {
    const options = RRule.parseString(text);
    if (options.freq === undefined) return `must be ${EXAMPLE}`;
    if (options.freq > RRule.HOURLY) return 'may repeat at most hourly';
    new RRule({ ...options, dtstart: new Date() });
    return null;
  } catch {
    return `must be ${EXAMPLE}`;
  }
}

/** The first occurrence of the series (started at `seriesStart`) strictly after `after`, or null when it has ended. */
export function nextOccurrence(rule: string, seriesStart: Date, after: Date): Date | null {
  const options = RRule.parseString(rule.trim().replace(/^RRULE:/i, ''));
  return new RRule({ ...options, dtstart: seriesStart }).after(after, false);
}
