import type { Prisma } from '../db/database';
import { ApiError } from '../protocol/errors';

/**
 * Which users may still use their tokens, in memory so every REST request and socket handshake
 * checks it without a query: a deactivated user is refused at once, and a token issued before
 * the user's `sessionsValidAfter` (deactivation, role change, password reset) is refused too.
 * Users absent from the map are active with no cut-off (the common case costs one lookup).
 */
export class UserAccess {
  private readonly users = new Map<string, { active: boolean; validAfterMs: number }>();
  private readonly listeners = new Set<(userId: string) => void>();

  /** Loads the users that are deactivated or have a cut-off (start-up). */
  async load(prisma: Prisma): Promise<void> {
    const rows = await prisma.user.findMany({
      where: { OR: [{ active: false }, { sessionsValidAfter: { not: null } }] },
      select: { id: true, active: true, sessionsValidAfter: true },
    });
    for (const row of rows) this.set(row.id, row.active, row.sessionsValidAfter, false);
  }

  /** Records a user's access; with `notify`, listeners learn that their open sessions must be checked. */
  set(userId: string, active: boolean, validAfter: Date | null, notify = true): void {
    this.users.set(userId, { active, validAfterMs: validAfter?.getTime() ?? 0 });
    if (notify) for (const listener of this.listeners) listener(userId);
  }

  /** Called with the user id whenever a user's tokens were cut off (sockets of theirs close). */
  onRevoked(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** UNAUTHORIZED when the user is deactivated or the token (issued at `issuedAtMs`) predates the cut-off. */
  check(userId: string, issuedAtMs: number): void {
    const entry = this.users.get(userId);
    if (!entry) return;
    if (!entry.active) throw new ApiError('UNAUTHORIZED', 'this user has been deactivated');
    if (issuedAtMs < entry.validAfterMs) throw new ApiError('UNAUTHORIZED', 'this session has ended; sign in again');
  }

  isActive(userId: string): boolean {
    return this.users.get(userId)?.active ?? true;
  }
}
