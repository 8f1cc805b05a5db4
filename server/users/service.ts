import { hashPassword } from '../auth/password';
import { requireRole, type Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import type { EventLog } from '../events/log';
import type { PublicUser } from '../protocol/auth';
import { ApiError } from '../protocol/errors';
import type { CreateUserRequest } from '../protocol/users';
import { Audit, changesOf, withoutSecrets } from '../events/audit';
import type { UpdateUserRequest } from '../protocol/admin';
import type { UserAccess } from '../auth/access';
import type { SessionService } from '../auth/sessions';

/** A user as events carry it: no password hash, no tenant (the event has it). */
export function auditedUser(user: { id: string; tenantId: string; email: string; name: string; role: string; passwordHash: string; createdAt: Date; sessionsValidAfter?: Date | null }): Record<string, unknown> {
  const { id: _id, tenantId: _t, createdAt: _c, sessionsValidAfter: _s, ...fields } = user;
  return withoutSecrets(fields);
}

type UserRow = { id: string; email: string; name: string; role: PublicUser['role']; tenantId: string; active: boolean; tenant: { name: string } };
const toPublic = (u: UserRow): PublicUser => ({ id: u.id, email: u.email, name: u.name, role: u.role, tenantId: u.tenantId, tenantName: u.tenant.name, active: u.active });

/** Users of the caller's tenant. Admins create them (user.created); admins and managers list them. */
export class UserService {
  constructor(
    private readonly prisma: Prisma,
    private readonly events: EventLog,
    /** Deactivation and session cut-offs take effect at once through these (absent in older wiring). */
    private readonly access?: UserAccess,
    private readonly sessions?: SessionService,
  ) {}

  async list(principal: Principal): Promise<PublicUser[]> {
    requireRole(principal, ['admin', 'manager'], 'list users');
    const users = await this.prisma.user.findMany({
      where: { tenantId: principal.tenantId },
      include: { tenant: true },
      orderBy: { email: 'asc' },
    });
    return users.map(toPublic);
  }

  async create(principal: Principal, input: CreateUserRequest): Promise<PublicUser> {
    requireRole(principal, ['admin'], 'create users');
    const audit = new Audit(principal);
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.events.transact(async (tx, emit) => {
        const user = await tx.user.create({
          data: { tenantId: principal.tenantId, email: input.email, name: input.name, role: input.role, passwordHash },
          include: { tenant: true },
        });
        const { tenant: _tenant, ...fields } = user;
        emit(audit.event('user.created', user.id, { name: user.name, after: auditedUser(fields) }));
        return user;
      });
      return toPublic(user);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', `a user with email ${input.email} already exists`, 'email');
      throw error;
    }
  }

  /**
   * Changes a user's name, role or active flag (admins). Deactivating or changing the role cuts
   * off every token issued before (REST and sockets, at once); deactivating also revokes the
   * user's refresh tokens. An admin cannot deactivate or demote themselves (no lock-out).
   */
  async update(principal: Principal, id: string, input: UpdateUserRequest): Promise<PublicUser> {
    requireRole(principal, ['admin'], 'change users');
    if (id === principal.userId && input.active === false) throw new ApiError('VALIDATION_ERROR', 'You cannot deactivate yourself.', 'active');
    if (id === principal.userId && input.role && input.role !== 'admin') throw new ApiError('VALIDATION_ERROR', 'You cannot take away your own admin role.', 'role');
    const audit = new Audit(principal);
    const user = await this.events.transact(async (tx, emit) => {
      await tx.$queryRaw`SELECT id FROM users WHERE id = ${id}::uuid FOR UPDATE`;
      const before = await tx.user.findFirst({ where: { id, tenantId: principal.tenantId } });
      if (!before) throw new ApiError('NOT_FOUND', `user ${id} not found`);
      if (input.role && input.role !== 'driver' && before.role === 'driver') {
        // A vehicle would keep pointing at a user who no longer drives: unassign it first.
        const driven = await tx.vehicle.findFirst({ where: { driverId: id }, select: { name: true } });
        if (driven) throw new ApiError('CONFLICT', `${before.name} drives ${driven.name}; assign that vehicle another driver (or none) first`, 'role');
      }
      const cutOff = (input.active === false && before.active) || (input.role !== undefined && input.role !== before.role);
      const after = await tx.user.update({
        where: { id },
        data: { ...input, ...(cutOff ? { sessionsValidAfter: new Date() } : {}) },
        include: { tenant: true },
      });
      const { tenant: _tenant, ...fields } = after;
      const changes = changesOf(auditedUser(before), auditedUser(fields));
      if (Object.keys(changes).length > 0) emit(audit.event('user.updated', id, { name: after.name, changes }));
      return after;
    });
    if (!user.active) await this.sessions?.revokeUser(id);
    this.access?.set(id, user.active, user.sessionsValidAfter);
    return toPublic(user);
  }

  /** Sets a new password (admins): the user's sessions end (refresh tokens revoked, tokens cut off). */
  async resetPassword(principal: Principal, id: string, password: string): Promise<void> {
    requireRole(principal, ['admin'], 'reset passwords');
    const audit = new Audit(principal);
    const passwordHash = await hashPassword(password);
    const user = await this.events.transact(async (tx, emit) => {
      const found = await tx.user.findFirst({ where: { id, tenantId: principal.tenantId } });
      if (!found) throw new ApiError('NOT_FOUND', `user ${id} not found`);
      // Your own password: this browser's token stays valid (you are the one changing it).
      const cutOff = id === principal.userId ? found.sessionsValidAfter : new Date();
      const user = await tx.user.update({ where: { id }, data: { passwordHash, sessionsValidAfter: cutOff } });
      emit(audit.event('user.password_reset', id, { name: user.name }));
      return user;
    });
    if (id !== principal.userId) await this.sessions?.revokeUser(id);
    this.access?.set(id, user.active, user.sessionsValidAfter);
  }
}
