import { alertRuleSet, type AlertRuleSet } from '@/server/protocol/alert-rules';

/**
 * The alert rules form's checks: the server's own schema run in the browser, so every problem
 * shows at its field at once (the server answers with the first one only), with a summary on
 * top that names where each is in plain words.
 */
export interface FormProblems {
  /** Dotted path (e.g. "quietHours.start", "rules.2.event") → message. */
  byField: Map<string, string>;
  /** "Quiet hours, start: Enter a time as HH:MM, e.g. 22:00" */
  summary: string[];
}

const WHERE: Record<string, string> = {
  'quietHours.start': 'Quiet hours, start',
  'quietHours.end': 'Quiet hours, end',
  'quietHours.timeZone': 'Quiet hours, time zone',
  'quietHours.minSeverity': 'Quiet hours, still alert for',
  'flood.maxPerWindow': 'Flood protection, alerts one by one',
  'flood.windowMinutes': 'Flood protection, minutes',
};

function where(path: string): string {
  if (WHERE[path]) return WHERE[path];
  const rule = /^rules\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (rule) return `Rule ${Number(rule[1]) + 1}`;
  return 'The form';
}

export function checkRules(value: AlertRuleSet): { ok: true; value: AlertRuleSet } | { ok: false; problems: FormProblems } {
  const parsed = alertRuleSet.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as AlertRuleSet };
  const byField = new Map<string, string>();
  const summary: string[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.');
    if (byField.has(path)) continue;
    byField.set(path, issue.message);
    summary.push(`${where(path)}: ${issue.message}`);
  }
  return { ok: false, problems: { byField, summary } };
}
