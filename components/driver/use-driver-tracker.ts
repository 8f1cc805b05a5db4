'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { DriverTracker, type TrackerView } from './tracker';

/** One DriverTracker per user, token, vehicle and rate; closed when any of them changes. */
export function useDriverTracker(userId: string, token: string, vehicleId: string, rate: number) {
  const [tracker, setTracker] = useState<DriverTracker | null>(null);
  useEffect(() => {
    const created = new DriverTracker({ userId, token, vehicleId, rate });
    setTracker(created);
    void created.open();
    return () => created.close();
  }, [userId, token, vehicleId, rate]);
  const view = useSyncExternalStore<TrackerView | null>(
    tracker ? tracker.subscribe : noSubscribe,
    () => tracker?.getSnapshot() ?? null,
    () => null,
  );
  return { tracker, view };
}

const noSubscribe = () => () => {};
