import { hashPassword } from '../auth/password';
import { requireRole, type Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import type { PublicUser } from '../protocol/auth';
import { ApiError } from '../protocol/errors';
import type { CreateUserRequest } from '../protocol/users';

/** Users of the caller's tenant. Admins create them; admins and managers list them. */
export class UserService {
  constructor(private readonly prisma: Prisma) {}

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
    try {
      const user = await this.prisma.user.create({
        data: { tenantId: principal.tenantId, email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) },
        include: { tenant: true },
      });
      return { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId, tenantName: user.tenant.name };
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', `a user with email ${input.email} already exists`, 'email');
      throw error;
    }
  }
}
