import { describe, expect, it } from 'vitest';
import type { NewAlert } from '../db/sql/alerts';
import { alertRuleSet, alertSnoozeInput, DEFAULT_RULE_SET, type AlertRuleSet } from '../protocol/alert-rules';
import { FloodGuard } from './flood';
import { applyRules, inQuietHours, ruleFor } from './rules';

const fenceAlert = (event: string, over: Partial<NewAlert> = {}): NewAlert => ({
  tenantId: 't1',
  type: 'geofence_violation',
  severity: 'high',
  message: `Van 12 ${event} Zone A`,
  vehicleId: 'v12',
  geofenceId: 'zA',
  at: 0,
  details: { event, fenceName: 'Zone A', fenceType: 'RESTRICTED_ZONE' },
  ...over,
});
const set = (over: Partial<AlertRuleSet>): AlertRuleSet => ({ ...DEFAULT_RULE_SET, ...over });
// 2026-12-07 is a Monday; 23:30 in Berlin (UTC+1) is 22:30 UTC.
const berlin2330 = Date.UTC(2026, 11, 7, 22, 30);
const berlin1200 = Date.UTC(2026, 11, 7, 11, 0);

describe('alert rules', () => {
  it('by default a restricted zone alerts on entry but not on exit; other fence types alert on exit', () => {
    expect(applyRules(DEFAULT_RULE_SET, [], fenceAlert('enter'), 0)).toMatchObject({ severity: 'high' });
    expect(applyRules(DEFAULT_RULE_SET, [], fenceAlert('exit'), 0)).toBeNull();
    expect(applyRules(DEFAULT_RULE_SET, [], fenceAlert('exit', { details: { event: 'exit', fenceType: 'DEPOT' } }), 0)).not.toBeNull();
  });

  it('the most specific rule decides, whatever the order', () => {
    const rules = set({
      rules: [
        { type: 'geofence_violation', enabled: false },
        { type: 'geofence_violation', event: 'enter', fenceType: 'RESTRICTED_ZONE', enabled: true, severity: 'critical' },
        { type: 'geofence_violation', event: 'enter', enabled: true, severity: 'low' },
      ],
    });
    expect(ruleFor(rules.rules, fenceAlert('enter'))?.severity).toBe('critical');
    expect(applyRules(rules, [], fenceAlert('enter'), 0)?.severity).toBe('critical');
    expect(applyRules(rules, [], fenceAlert('enter', { details: { event: 'enter', fenceType: 'DEPOT' } }), 0)?.severity).toBe('low');
    expect(applyRules(rules, [], fenceAlert('exit'), 0)).toBeNull();
    const speeding: NewAlert = { tenantId: 't1', type: 'speed_violation', severity: 'medium', message: 'fast', vehicleId: 'v1', at: 0 };
    expect(applyRules(rules, [], speeding, 0)).toBe(speeding); // no rule: as the source says, the same object
  });

  describe('rules for a vehicle group', () => {
    const groups: Record<string, string> = { v12: 'North depot', v7: 'South depot' };
    const groupOf = (id: string) => groups[id] ?? null;
    const speeding = (vehicleId: string | null): NewAlert => ({ tenantId: 't1', type: 'speed_violation', severity: 'medium', message: 'fast', vehicleId, at: 0 });

    it('apply to vehicles of the group only: not to another group, not to a vehicle without one', () => {
      const north = set({ rules: [{ type: 'speed_violation', vehicleGroup: 'North depot', enabled: false }] });
      expect(applyRules(north, [], speeding('v12'), 0, groupOf)).toBeNull();
      expect(applyRules(north, [], speeding('v7'), 0, groupOf)).toMatchObject({ vehicleId: 'v7' });
      expect(applyRules(north, [], speeding('v99'), 0, groupOf)).toMatchObject({ vehicleId: 'v99' });
      expect(ruleFor(north.rules, speeding('v7'), groupOf)).toBeNull();
    });

    it('outrank tenant-wide rules of the same type, however narrow by event and fence type, whatever the order', () => {
      const rules = set({
        rules: [
          { type: 'speed_violation', enabled: true, severity: 'critical' },
          { type: 'speed_violation', vehicleGroup: 'North depot', enabled: false },
          { type: 'geofence_violation', event: 'enter', fenceType: 'RESTRICTED_ZONE', enabled: true, severity: 'critical' },
          { type: 'geofence_violation', vehicleGroup: 'North depot', enabled: true, severity: 'low' },
        ],
      });
      expect(applyRules(rules, [], speeding('v12'), 0, groupOf)).toBeNull();
      expect(applyRules(rules, [], speeding('v7'), 0, groupOf)?.severity).toBe('critical');
      expect(applyRules(rules, [], fenceAlert('enter'), 0, groupOf)?.severity).toBe('low'); // v12 is in North depot
      expect(applyRules(rules, [], fenceAlert('enter', { vehicleId: 'v7' }), 0, groupOf)?.severity).toBe('critical');
    });

    it('never match an alert about no vehicle (a system problem)', () => {
      const everyoneNorth = () => 'North depot';
      const rules = [
        { type: 'system_error' as const, enabled: true, severity: 'low' as const },
        { type: 'system_error' as const, vehicleGroup: 'North depot', enabled: false },
      ];
      const system: NewAlert = { tenantId: 't1', type: 'system_error', severity: 'high', message: 'webhook failing', at: 0 };
      expect(applyRules(set({ rules }), [], system, 0, everyoneNorth)?.severity).toBe('low');
      expect(applyRules(set({ rules }), [], { ...system, vehicleId: 'v1' }, 0, everyoneNorth)).toBeNull(); // the group rule is live
    });

    it('are checked like vehicle groups, refused for system problems, and repeat only within the same group', () => {
      const parsed = alertRuleSet.parse({ ...DEFAULT_RULE_SET, rules: [{ type: 'speed_violation', vehicleGroup: '  North depot ', enabled: false }, { type: 'speed_violation', vehicleGroup: '', enabled: true }] });
      expect(parsed.rules.map((r) => r.vehicleGroup)).toEqual(['North depot', null]);
      const bad = alertRuleSet.safeParse({
        ...DEFAULT_RULE_SET,
        rules: [
          { type: 'system_error', vehicleGroup: 'North depot', enabled: false },
          { type: 'speed_violation', vehicleGroup: 'x'.repeat(61), enabled: false },
          { type: 'speed_violation', enabled: true },
          { type: 'speed_violation', vehicleGroup: 'North depot', enabled: false },
          { type: 'speed_violation', vehicleGroup: 'North depot', enabled: true },
        ],
      });
      expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['rules.0.vehicleGroup', 'System problems are not about a vehicle: they cannot be narrowed by vehicle group'],
        ['rules.1.vehicleGroup', 'must be at most 60 characters'],
        ['rules.4', 'Rule 5 repeats rule 4: keep one of them'],
      ]);
    });
  });

  it('quiet hours (tenant time zone, across midnight) keep less severe alerts in the history, already read', () => {
    const quiet = set({ quietHours: { start: '22:00', end: '06:00', timeZone: 'Europe/Berlin', minSeverity: 'critical' } });
    expect(inQuietHours(quiet.quietHours!, berlin2330)).toBe(true);
    expect(inQuietHours(quiet.quietHours!, berlin1200)).toBe(false);
    expect(inQuietHours({ ...quiet.quietHours!, timeZone: 'UTC' }, berlin2330)).toBe(true); // 22:30 UTC
    expect(inQuietHours({ ...quiet.quietHours!, timeZone: 'America/New_York' }, berlin2330)).toBe(false); // 17:30
    expect(applyRules(quiet, [], fenceAlert('enter'), berlin2330)).toMatchObject({ read: true, details: { quietHours: true } });
    expect(applyRules(quiet, [], fenceAlert('enter'), berlin1200)?.read).toBeUndefined();
    expect(applyRules(quiet, [], fenceAlert('enter', { severity: 'critical' }), berlin2330)?.read).toBeUndefined();
    const day = set({ quietHours: { start: '09:00', end: '17:00', timeZone: 'Europe/Berlin', minSeverity: 'high' } });
    expect(applyRules(day, [], fenceAlert('enter', { severity: 'medium' }), berlin1200)?.read).toBe(true);
    expect(applyRules(day, [], fenceAlert('enter', { severity: 'medium' }), berlin2330)?.read).toBeUndefined();
  });

  it('a snooze of the fence or of the type silences until its end', () => {
    const byFence = [{ geofenceId: 'zA', type: null, untilMs: 1000 }];
    expect(applyRules(DEFAULT_RULE_SET, byFence, fenceAlert('enter'), 999)).toBeNull();
    expect(applyRules(DEFAULT_RULE_SET, byFence, fenceAlert('enter'), 1000)).not.toBeNull();
    expect(applyRules(DEFAULT_RULE_SET, byFence, fenceAlert('enter', { geofenceId: 'zB' }), 0)).not.toBeNull();
    const byType = [{ geofenceId: null, type: 'geofence_violation', untilMs: 1000 }];
    expect(applyRules(DEFAULT_RULE_SET, byType, fenceAlert('enter', { geofenceId: 'zB' }), 0)).toBeNull();
  });

  it('bad rule sets and snoozes are refused with plain messages at their fields', () => {
    const bad = alertRuleSet.safeParse({
      rules: [
        { type: 'speed_violation', event: 'enter', enabled: true },
        { type: 'geofence_violation', enabled: 'yes' },
        { type: 'geofence_violation', enabled: true },
      ],
      quietHours: { start: '25:00', end: '06:00', timeZone: 'Mars/Olympus', minSeverity: 'high' },
      flood: { maxPerWindow: 0, windowMinutes: 5 },
    });
    expect(bad.success).toBe(false);
    const issues = Object.fromEntries(bad.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(issues).toMatchObject({
      'rules.0.event': 'Only geofence alerts can be narrowed by fence event or fence type',
      'rules.1.enabled': 'Say whether it alerts (true or false)',
      'quietHours.start': 'Enter a time as HH:MM, e.g. 22:00',
      'quietHours.timeZone': 'Choose a time zone such as Europe/Berlin',
      'flood.maxPerWindow': 'Enter a number from 1 to 100',
    });
    const dup = alertRuleSet.safeParse({ ...DEFAULT_RULE_SET, rules: [...DEFAULT_RULE_SET.rules, ...DEFAULT_RULE_SET.rules] });
    expect(dup.error?.issues[0]).toMatchObject({ path: ['rules', 1], message: 'Rule 2 repeats rule 1: keep one of them' });
    expect(alertRuleSet.safeParse(DEFAULT_RULE_SET).success).toBe(true);
    expect(alertSnoozeInput.safeParse({ minutes: 30 }).error?.issues[0]).toMatchObject({ path: ['geofenceId'] });
    expect(alertSnoozeInput.safeParse({ type: 'low_battery', minutes: 30 }).success).toBe(true);
  });
});

describe('flood protection', () => {
  const limit = { maxPerWindow: 2, windowMinutes: 5 };
  const names = (id: string) => (id === 'v12' ? 'Van 12' : id);

  it('18 crossings of one fence in 5 min: 2 rows, then ONE summary when the window ends', () => {
    const guard = new FloodGuard(names);
    const raised: NewAlert[] = [];
    for (let i = 0; i < 18; i++) {
      const a = guard.admit(fenceAlert(i % 2 === 0 ? 'enter' : 'exit', { at: i * 10_000, causationId: `e${i}` }), limit, i * 10_000);
      if (a) raised.push(a);
    }
    expect(raised.map((a) => a.details?.event)).toEqual(['enter', 'exit']);
    expect(guard.flush(299_999)).toEqual([]); // the window is still open
    const [summary, ...more] = guard.flush(300_000);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      message: 'Van 12 entered and left Zone A 9 times in 5 min',
      severity: 'high',
      vehicleId: 'v12',
      geofenceId: 'zA',
      causationId: 'e17',
      details: { aggregated: true, count: 18, absorbed: 16, counts: { enter: 9, exit: 9 } },
    });
    expect(guard.size).toBe(0);
  });

  it('pairs are independent; a quiet pair leaves no summary; a new window starts afresh', () => {
    const guard = new FloodGuard(names);
    expect(guard.admit(fenceAlert('enter'), limit, 0)).not.toBeNull();
    expect(guard.admit(fenceAlert('enter', { geofenceId: 'zB' }), limit, 0)).not.toBeNull();
    expect(guard.admit(fenceAlert('enter', { vehicleId: 'v7' }), limit, 0)).not.toBeNull();
    expect(guard.flush(300_000)).toEqual([]);
    // a window that ended while the pair went on: its summary waits for the next flush
    guard.admit(fenceAlert('enter'), limit, 400_000);
    guard.admit(fenceAlert('exit'), limit, 400_001);
    expect(guard.admit(fenceAlert('enter', { severity: 'critical' }), limit, 400_002)).toBeNull();
    expect(guard.admit(fenceAlert('exit'), limit, 700_000)).not.toBeNull(); // new window
    const [summary] = guard.flush(700_001);
    expect(summary).toMatchObject({ severity: 'critical', message: 'Van 12 entered and left Zone A 2 times in 5 min' });
  });

  it('alerts not about a vehicle and a fence pass untouched (they have episodes or throttles of their own)', () => {
    const guard = new FloodGuard(names);
    const speed: NewAlert = { tenantId: 't1', type: 'speed_violation', severity: 'medium', message: 'fast', vehicleId: 'v12', at: 0, details: {} };
    const system: NewAlert = { tenantId: 't1', type: 'system_error', severity: 'high', message: 'x', at: 0 };
    for (let i = 0; i < 5; i++) {
      expect(guard.admit(speed, limit, i)).toBe(speed);
      expect(guard.admit(system, limit, i)).toBe(system);
    }
    expect(guard.size).toBe(0);
    expect(guard.flush(600_000)).toEqual([]);
  });
});
