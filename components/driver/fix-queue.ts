import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Fix } from './fix';

/** A fix waiting for the server's acknowledgement, for one signed-in user and vehicle. */
export interface QueuedFix {
  /** Insertion order: replay order. */
  seq: number;
  /** The user who recorded it: another sign-in on the same phone never sends it. */
  owner: string;
  vehicleId: string;
  fix: Fix;
}

/** The queue as the uploader uses it; IndexedDB in the browser, an array in tests. */
export interface FixQueue {
  add(owner: string, vehicleId: string, fix: Fix): Promise<void>;
  /** The owner's oldest fixes, oldest first. */
  oldest(owner: string, limit: number): Promise<QueuedFix[]>;
  remove(seqs: readonly number[]): Promise<void>;
  count(owner: string): Promise<number>;
}

interface DriverDb extends DBSchema {
  fixes: {
    key: number;
    value: Omit<QueuedFix, 'seq'> & { seq?: number };
    indexes: { 'by-owner': [string, number] };
  };
}

const DB_NAME = 'geofleet-driver';

/** The IndexedDB queue: survives reloads, closing the page and restarts of the browser. */
export async function openFixQueue(): Promise<FixQueue> {
  const db: IDBPDatabase<DriverDb> = await openDB<DriverDb>(DB_NAME, 1, {
    upgrade(database) {
      const store = database.createObjectStore('fixes', { keyPath: 'seq', autoIncrement: true });
      store.createIndex('by-owner', ['owner', 'seq']);
    },
  });
  const ownerRange = (owner: string) => IDBKeyRange.bound([owner, 0], [owner, Infinity]);
  return {
    async add(owner, vehicleId, fix) {
      await db.add('fixes', { owner, vehicleId, fix });
    },
    async oldest(owner, limit) {
      return (await db.getAllFromIndex('fixes', 'by-owner', ownerRange(owner), limit)) as QueuedFix[];
    },
    async remove(seqs) {
      const tx = db.transaction('fixes', 'readwrite');
      await Promise.all([...seqs.map((seq) => tx.store.delete(seq)), tx.done]);
    },
    count(owner) {
      return db.countFromIndex('fixes', 'by-owner', ownerRange(owner));
    },
  };
}

/** A queue in memory: where IndexedDB cannot be opened (fixes then last as long as the page). */
export function memoryFixQueue(): FixQueue {
  const items: QueuedFix[] = [];
  let next = 1;
  return {
    async add(owner, vehicleId, fix) {
      items.push({ seq: next++, owner, vehicleId, fix });
    },
    async oldest(owner, limit) {
      return items.filter((q) => q.owner === owner).slice(0, limit);
    },
    async remove(seqs) {
      const gone = new Set(seqs);
      for (let i = items.length - 1; i >= 0; i--) if (gone.has(items[i]!.seq)) items.splice(i, 1);
    },
    async count(owner) {
      return items.filter((q) => q.owner === owner).length;
    },
  };
}
