import type { Prisma } from '../db/database';
import { updateVehicleStates } from '../db/sql/vehicle-states';
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

/** Makes one batch durable: current state per vehicle, in one statement. */
export function positionWriter(prisma: Prisma): (batch: Position[]) => Promise<void> {
  return async (batch) => {
    await updateVehicleStates(prisma, latestPerVehicle(batch));
  };
}
