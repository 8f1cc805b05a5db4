/**
 * Who wants to know that a tenant's road network was replaced (the routing graph, the basemap
 * tiles, geocoding caches). Called after the import's transaction has committed, in the server
 * process. The registry lives on globalThis: Next.js bundles route handlers apart from the
 * custom server, so a module-level list would not be the same list in both.
 *
 *   const stop = onRoadNetworkChanged((tenantId) => graphs.rebuild(tenantId));
 */
export type RoadNetworkListener = (tenantId: string) => void | Promise<void>;

const KEY = Symbol.for('geofleet.roadNetworkListeners');
type Holder = { [KEY]?: Set<RoadNetworkListener> };

function listeners(): Set<RoadNetworkListener> {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new Set());
}

/** Registers `listener`; returns the function that removes it. */
export function onRoadNetworkChanged(listener: RoadNetworkListener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

/**
 * Tells every listener; a listener that throws or rejects is reported to `onError` and does not
 * keep the others from hearing it. Resolves when all have finished.
 */
export async function notifyRoadNetworkChanged(tenantId: string, onError: (error: unknown) => void = () => {}): Promise<void> {
  await Promise.all(
    [...listeners()].map(async (listener) => {
      try {
        await listener(tenantId);
      } catch (error) {
        onError(error);
      }
    }),
  );
}
