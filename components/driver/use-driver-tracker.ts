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
    // Not on `token`: the link reads the current session token on each connection, so a
    // refreshed token must not restart tracking.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId, vehicleId, rate]);
  const view = useSyncExternalStore<TrackerView | null>(
    tracker ? tracker.subscribe : noSubscribe,
    () => tracker?.getSnapshot() ?? null,
    () => null,
  );
  return { tracker, view };
}

const noSubscribe = () => () => {};
