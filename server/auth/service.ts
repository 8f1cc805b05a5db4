import type { Prisma } from '../db/database';
import type { LoginRequest, LoginResponse, PublicUser } from '../protocol/auth';
import { ApiError } from '../protocol/errors';
import { hashPassword, verifyPassword } from './password';
import type { Principal, TokenService } from './tokens';

export class AuthService {
  /** Verified against when the email is unknown, so both failures take the same time. */
  private readonly decoy = hashPassword('decoy password that never matches');

  constructor(
    private readonly prisma: Prisma,
    readonly tokens: TokenService,
  ) {}

  async login(input: LoginRequest): Promise<LoginResponse> {
    const user = await this.prisma.user.findUnique({ where: { email: input.email }, include: { tenant: true } });
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await this.decoy));
    if (!user || !ok) throw new ApiError('UNAUTHORIZED', 'wrong email or password');
    if (!user.active) throw new ApiError('UNAUTHORIZED', 'this account has been deactivated; ask an admin', 'email');
    const principal: Principal = { userId: user.id, tenantId: user.tenantId, role: user.role };
    return { token: await this.tokens.sign(principal), user: toPublicUser(user) };
  }

  /** The caller's user, re-read from the database: a deleted user's token finds nothing. */
  async me(principal: Principal): Promise<PublicUser> {
    const user = await this.prisma.user.findFirst({
      where: { id: principal.userId, tenantId: principal.tenantId },
      include: { tenant: true },
    });
    if (!user) throw new ApiError('UNAUTHORIZED', 'user no longer exists');
    if (!user.active) throw new ApiError('UNAUTHORIZED', 'this user has been deactivated');
    return toPublicUser(user);
  }
}

function toPublicUser(user: {
  id: string;
  email: string;
  name: string;
  role: PublicUser['role'];
  tenantId: string;
  tenant: { name: string };
}): PublicUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId, tenantName: user.tenant.name };
}
