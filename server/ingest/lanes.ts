import type { Position } from '../protocol/position';
import { Batcher, type BatcherOptions } from './batcher';

/** FNV-1a of a vehicle id: a stable lane for each vehicle. */
function laneOf(vehicleId: string, lanes: number): number {
  let h = 2166136261;
  for (let i = 0; i < vehicleId.length; i++) h = Math.imul(h ^ vehicleId.charCodeAt(i), 16777619);
  return (h >>> 0) % lanes;
}

/**
 * Several batchers writing side by side, each vehicle always in the same one: concurrent writes
 * never touch the same vehicle's rows (no lock waits, no deadlocks) and each vehicle's positions
 * are still written, evaluated and published in order.
 */
export class LanedBatcher {
  private readonly lanes: Batcher[];
  private readonly limit: number;

  constructor(count: number, options: BatcherOptions) {
    this.limit = options.limit;
    this.lanes = Array.from({ length: Math.max(1, count) }, () => new Batcher(options));
  }

  /** Positions the lanes hold at most (each lane's limit × lanes). */
  get capacity(): number {
    return this.lanes.length * this.limit;
  }

  get depth(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.depth, 0);
  }

  /** Resolves when every position is durable; rejects (UNAVAILABLE) when a lane is full. */
  async submit(positions: Position[]): Promise<void> {
    if (this.lanes.length === 1) return this.lanes[0]!.submit(positions);
    const split = this.lanes.map(() => [] as Position[]);
    for (const p of positions) split[laneOf(p.vehicleId, this.lanes.length)]!.push(p);
    await Promise.all(split.map((part, i) => this.lanes[i]!.submit(part)));
  }

  async drain(timeoutMs: number): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.drain(timeoutMs)));
  }
}
