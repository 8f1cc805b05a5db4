import { LogicEngine } from 'json-logic-engine';
import { hhmm, LocalClock, WEEKDAYS } from './local-time';

/**
 * Rules of conditional fences: JSON Logic (jsonlogic.com) evaluated by json-logic-engine — a
 * maintained interpreter that compiles a rule to a function; nothing is ever `eval`ed from
 * input. A rule reads these variables:
 *
 *   speed (km/h or null) · heading (degrees or null) · battery (percent or null) ·
 *   vehicleType ("van", "truck", …) · localTime ("HH:MM") · dayOfWeek ("mon" … "sun") ·
 *   attributes.<key> (the vehicle's attributes)
 *
 * localTime and dayOfWeek are taken in the fence's `timezone` (default UTC) at position time.
 * Rules combine with and / or / ! (not) and compare with ==, !=, <, <=, >, >=, in, between
 * (`{"<=": [a, x, b]}`). The fence applies to a vehicle only while its rule is truthy.
 */
export type Rule = Record<string, unknown>;

export const RULE_VARIABLES = ['speed', 'heading', 'battery', 'vehicleType', 'localTime', 'dayOfWeek'] as const;

export interface RuleInput {
  speed: number | null;
  heading: number | null;
  battery: number | null;
  ts: number;
  vehicleType: string | null;
  attributes: Record<string, unknown>;
}

export class RuleError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'RuleError';
  }
}

const logic = new LogicEngine();
const MAX_RULE_NODES = 500;

/** Checks every `var` a rule reads, and its size, naming the offending place. */
function checkVariables(node: unknown, path: string, count: { n: number }): void {
  if (++count.n > MAX_RULE_NODES) throw new RuleError(`is too large (at most ${MAX_RULE_NODES} nodes)`, '');
  if (Array.isArray(node)) {
    node.forEach((child, i) => checkVariables(child, `${path}${path ? '.' : ''}${i}`, count));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [op, args] of Object.entries(node)) {
    const here = `${path}${path ? '.' : ''}${op}`;
    if (op === 'var') {
      const name = Array.isArray(args) ? args[0] : args;
      const ok = typeof name === 'string' && ((RULE_VARIABLES as readonly string[]).includes(name) || /^attributes\.[A-Za-z0-9_.-]+$/.test(name));
      if (!ok) throw new RuleError(`reads unknown variable ${JSON.stringify(name)}; use ${RULE_VARIABLES.join(', ')} or attributes.<key>`, here);
      continue;
    }
    checkVariables(args, here, count);
  }
}

/** A rule compiled once (throws RuleError naming the problem) and evaluated per position. */
export class CompiledRule {
  private readonly fn: (data: object) => unknown;
  private readonly clock: LocalClock;

  constructor(rule: unknown, timezone = 'UTC') {
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule) || Object.keys(rule).length !== 1) {
      throw new RuleError('must be a JSON Logic rule: an object with one operator, e.g. {"<": [{"var": "speed"}, 30]}', '');
    }
    checkVariables(rule, '', { n: 0 });
    try {
      this.fn = logic.build(rule) as (data: object) => unknown;
    } catch (error) {
      const message = error instanceof Error && error.message ? error.message : 'an operator is unknown or used wrongly';
      throw new RuleError(`is not a valid JSON Logic rule: ${message}`, '');
    }
    try {
      this.clock = new LocalClock(timezone);
    } catch {
      throw new RuleError('must be an IANA time zone such as "Europe/Berlin" or "UTC"', 'timezone');
    }
  }

  /** Whether the rule holds for this position; a rule that throws at run time does not hold. */
  holds(input: RuleInput): boolean {
    const local = this.clock.at(input.ts);
    try {
      return Boolean(
        this.fn({
          speed: input.speed,
          heading: input.heading,
          battery: input.battery,
          vehicleType: input.vehicleType,
          localTime: hhmm(local.minute),
          dayOfWeek: WEEKDAYS[local.day],
          attributes: input.attributes,
        }),
      );
    } catch {
      return false;
    }
  }
}
