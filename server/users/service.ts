import { hashPassword } from '../auth/password';
import { requireRole, type Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import type { EventLog } from '../events/log';
import type { PublicUser } from '../protocol/auth';
import { ApiError } from '../protocol/errors';
import type { CreateUserRequest } from '../protocol/users';
import { Audit, withoutSecrets } from '../events/audit';

/** A user as events carry it: no password hash, no tenant (the event has it). */
export function auditedUser(user: { id: string; tenantId: string; email: string; name: string; role: string; passwordHash: string; createdAt: Date }): Record<string, unknown> {
  const { id: _id, tenantId: _t, createdAt: _c, ...fields } = user;
  return withoutSecrets(fields);
}

/** Users of the caller's tenant. Admins create them (user.created); admins and managers list them. */
export class UserService {
  constructor(
    private readonly prisma: Prisma,
    private readonly events: EventLog,
  ) {}

  async list(principal: Principal): Promise<PublicUser[]> {
    requireRole(principal, ['admin', 'manager'], 'list users');
    const users = await this.prisma.user.findMany({
      where: { tenantId: principal.tenantId },
      include: { tenant: true },
      orderBy: { email: 'asc' },
    });
    return users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, tenantId: u.tenantId, tenantName: u.tenant.name }));
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
      return { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId, tenantName: user.tenant.name };
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', `a user with email ${input.email} already exists`, 'email');
      throw error;
    }
  }
}
