import type { Prisma } from '../db/database';
import { storePositions } from '../db/sql/positions';
import type { Position } from '../protocol/position';

/** The newest position of each vehicle in a batch (by position time, later arrival wins ties). */
export function latestPerVehicle(batch: readonly Position[]): Position[] {
  const latest = new Map<string, Position>();
  for (const p of batch) {
    const current = latest.get(p.vehicleId);
    if (!current || p.ts >= current.ts) latest.set(p.vehicleId, p);
  }
  return [...latest.values()];
}

/** Makes one batch durable (history + current state in one statement); resolves with the new positions. */
export function positionWriter(prisma: Prisma): (batch: Position[]) => Promise<Position[]> {
  return async (batch) => {
    const fresh = await storePositions(prisma, batch);
    return fresh.length === batch.length ? batch : fresh.map((i) => batch[i]!);
  };
}
