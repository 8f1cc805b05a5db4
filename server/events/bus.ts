import type { Logger } from '../log';
import type { DomainEvent } from '../protocol/events';

export type EventHandler = (events: readonly DomainEvent[]) => void;

/**
 * The one in-process bus. The event log publishes here, and only events it has made durable;
 * dashboards, alerts, webhooks and SSE subscribe. A handler runs synchronously with each batch
 * (in seq order per tenant within a batch) and must not throw into the others: a failing
 * handler is logged and the rest still run.
 */
export class EventBus {
  private readonly handlers = new Set<EventHandler>();

  constructor(private readonly log?: Logger) {}

  /** Calls `handler` with every published batch; returns the unsubscribe function. */
  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  publish(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    for (const handler of this.handlers) {
      try {
        handler(events);
      } catch (error) {
        this.log?.error({ err: error }, 'event handler failed');
      }
    }
  }

  get size(): number {
    return this.handlers.size;
  }
}
