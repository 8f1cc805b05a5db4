/**
 * Hands items on at once when things are cooling, and together during a burst: the first item
 * goes straight through and opens a `delayMs` cooling; items arriving in the cooling are handed
 * on as one batch when it closes (which opens the next cooling). A burst of socket events (e.g.
 * hundreds of alerts when a depot goes offline) becomes a couple of updates and renders instead
 * of one per event, while a lone event is not delayed. `flush` hands on what is pending now
 * (before an event that must follow it); `cancel` drops it (unmount).
 */
export function coalescer<T>(delayMs: number, deliver: (items: T[]) => void): { push(item: T): void; flush(): void; cancel(): void } {
  let pending: T[] = [];
  let cooling: ReturnType<typeof setTimeout> | null = null;
  const coolDown = () => {
    cooling = setTimeout(() => {
      cooling = null;
      if (pending.length > 0) flush();
    }, delayMs);
  };
  const flush = () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    if (!cooling) coolDown();
    deliver(batch);
  };
  return {
    push(item) {
      pending.push(item);
      if (!cooling) flush();
    },
    flush,
    cancel() {
      if (cooling) clearTimeout(cooling);
      cooling = null;
      pending = [];
    },
  };
}
