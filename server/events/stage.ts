import type { NewEvent } from '../protocol/events';
import type { Position } from '../protocol/position';

/**
 * A stage turns committed positions into domain events: (its per-vehicle state, positions) →
 * (its new state, events). It never calls another stage or a socket; the log makes its events
 * durable and the bus delivers them. Each vehicle's positions arrive in order (one lane per
 * vehicle), so a stage can later run in a worker that owns a shard of the vehicles.
 */
export interface Stage {
  readonly name: string;
  observe(fresh: readonly Position[]): NewEvent[];
}

/**
 * Every stage's events for one committed batch, in position-time order (stable: a stage's own
 * order is kept for equal times), so each vehicle's events in the log follow its positions.
 */
export function observeAll(stages: readonly Stage[], fresh: readonly Position[]): NewEvent[] {
  let events: NewEvent[] = [];
  let sources = 0;
  for (const stage of stages) {
    const produced = stage.observe(fresh);
    if (produced.length === 0) continue;
    sources++;
    events = events.length === 0 ? produced : events.concat(produced);
  }
  if (sources > 1) events.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  return events;
}
