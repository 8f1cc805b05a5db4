import { describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/tokens';
import { StreamTickets, TICKET_TTL_MS } from './tickets';

const ADMIN: Principal = { userId: 'u1', tenantId: 't1', role: 'admin' };

describe('StreamTickets', () => {
  it('redeems a ticket once, for the principal it was issued to', () => {
    const tickets = new StreamTickets();
    const { ticket, expiresAt } = tickets.issue(ADMIN);
    expect(ticket).toMatch(/^[\w-]{32}$/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    expect(tickets.principalOf(ticket)).toEqual(ADMIN); // looking does not spend it
    expect(tickets.redeem(ticket)).toEqual(ADMIN);
    expect(() => tickets.redeem(ticket)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED', field: 'ticket' }));
  });

  it('refuses unknown and expired tickets, and forgets expired ones', () => {
    let now = 1_000_000;
    const tickets = new StreamTickets(() => now);
    expect(() => tickets.redeem('nope')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    const { ticket } = tickets.issue(ADMIN);
    now += TICKET_TTL_MS;
    expect(() => tickets.redeem(ticket)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    tickets.issue(ADMIN);
    now += TICKET_TTL_MS;
    tickets.issue(ADMIN); // prunes the expired one
    expect(tickets.size).toBe(1);
  });

  it('issues a different ticket every time', () => {
    const tickets = new StreamTickets();
    const seen = new Set(Array.from({ length: 100 }, () => tickets.issue(ADMIN).ticket));
    expect(seen.size).toBe(100);
  });
});
