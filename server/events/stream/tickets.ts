import { randomBytes } from 'node:crypto';
import type { Principal } from '../../auth/tokens';
import { ApiError } from '../../protocol/errors';

/** How long a ticket may wait for its stream: long enough to open an EventSource, too short to leak usefully. */
export const TICKET_TTL_MS = 60_000;
/** Outstanding tickets kept at most; beyond it the oldest go (each is 60 s of someone's patience, not state). */
const MAX_TICKETS = 10_000;

export interface StreamTicket {
  ticket: string;
  /** ISO 8601. */
  expiresAt: string;
}

/**
 * Single-use tickets for `GET /api/v1/events/stream?ticket=…`: `EventSource` cannot send an
 * Authorization header, and a long-lived JWT in a URL ends up in proxy logs and browser history.
 * A ticket is random, bound to the principal that asked for it, valid for 60 s and spent on
 * first use. Kept in memory: a ticket is redeemed within a minute on the instance that issued
 * it (a restart only makes the browser ask for a new one).
 */
export class StreamTickets {
  // Insertion order is expiry order (one fixed TTL), so pruning stops at the first live ticket.
  private readonly tickets = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(principal: Principal): StreamTicket {
    this.prune();
    if (this.tickets.size >= MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + TICKET_TTL_MS;
    this.tickets.set(ticket, { principal, expiresAt });
    return { ticket, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The ticket's principal, leaving the ticket valid (checks made before spending it). Unknown and expired tickets are UNAUTHORIZED. */
  principalOf(ticket: string): Principal {
    const held = this.tickets.get(ticket);
    if (!held || held.expiresAt <= this.now()) {
      this.tickets.delete(ticket);
      throw new ApiError('UNAUTHORIZED', 'stream ticket is unknown, expired or already used: ask POST /api/v1/events/stream-ticket for a new one', 'ticket');
    }
    return held.principal;
  }

  /** The ticket's principal; the ticket is spent, so a second use is UNAUTHORIZED. */
  redeem(ticket: string): Principal {
    const principal = this.principalOf(ticket);
    this.tickets.delete(ticket);
    return principal;
  }

  get size(): number {
    return this.tickets.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [ticket, held] of this.tickets) {
      if (held.expiresAt > now) break;
      this.tickets.delete(ticket);
    }
  }
}
