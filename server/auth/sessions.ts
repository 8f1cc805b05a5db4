import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Prisma } from '../db/database';
import type { LoginResponse, PublicUser } from '../protocol/auth';
import { ApiError } from '../protocol/errors';
import type { Principal, TokenService } from './tokens';

/** The refresh token's cookie: httpOnly, sent only to the auth routes. */
export const REFRESH_COOKIE = 'geofleet_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/**
 * A replaced refresh token presented again within this window is a race (two tabs refreshing at
 * once), not theft: it gets an access token but no new refresh token (the browser keeps the
 * newer cookie). Later, it revokes the whole family.
 */
const REUSE_GRACE_MS = 30_000;

export function hashRefreshToken(raw: string): string {
  return createHash('sha256').update(raw).digest('base64url');
}

export interface SessionGrant extends LoginResponse {
  /** The new refresh token for the cookie; absent when the caller keeps its current one. */
  refreshToken?: string;
  refreshExpiresAt?: Date;
}

/**
 * Browser sessions: a short-lived access token (JWT, `accessTtl`) and a long-lived refresh token
 * (random, stored as SHA-256 only) that is rotated on every use and revoked by logout,
 * deactivation and password reset. A wall display refreshing every few minutes keeps working
 * for `refreshDays` after its last refresh.
 */
export class SessionService {
  constructor(
    private readonly prisma: Prisma,
    private readonly tokens: TokenService,
    private readonly accessTtl: string,
    private readonly refreshDays: number,
  ) {}

  /** A new session (family) for a user who just signed in. */
  async start(user: PublicUser): Promise<SessionGrant> {
    const refresh = await this.issueRefresh(user, randomUUID());
    return { ...(await this.access(user)), ...refresh };
  }

  /** Rotates a refresh token: a new access token and a new refresh token; the old one is spent. */
  async refresh(raw: string | null | undefined): Promise<SessionGrant> {
    if (!raw) throw new ApiError('UNAUTHORIZED', 'no session: sign in');
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(raw) } });
    const now = new Date();
    if (!row || row.revokedAt || row.expiresAt <= now) throw new ApiError('UNAUTHORIZED', 'your session has ended; sign in again');
    const user = await this.prisma.user.findUnique({ where: { id: row.userId }, include: { tenant: true } });
    if (!user || !user.active) throw new ApiError('UNAUTHORIZED', 'this user has been deactivated');
    const publicUser: PublicUser = { id: user.id, email: user.email, name: user.name, role: user.role, tenantId: user.tenantId, tenantName: user.tenant.name };
    if (row.replacedAt) {
      if (now.getTime() - row.replacedAt.getTime() <= REUSE_GRACE_MS) return this.access(publicUser);
      await this.revokeFamily(row.familyId);
      throw new ApiError('UNAUTHORIZED', 'this session was used twice and has been ended; sign in again');
    }
    // Spent exactly once: a concurrent refresh with the same token finds it replaced (grace above).
    const spent = await this.prisma.refreshToken.updateMany({ where: { id: row.id, replacedAt: null }, data: { replacedAt: now } });
    if (spent.count === 0) return this.access(publicUser);
    return { ...(await this.access(publicUser)), ...(await this.issueRefresh(publicUser, row.familyId)) };
  }

  /** Logout: the token's whole family is revoked (an unknown token is fine: nothing to end). */
  async logout(raw: string | null | undefined): Promise<void> {
    if (!raw) return;
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(raw) }, select: { familyId: true } });
    if (row) await this.revokeFamily(row.familyId);
  }

  /** Every session of a user ends (deactivation, password reset). */
  async revokeUser(userId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async access(user: PublicUser): Promise<SessionGrant> {
    const principal: Principal = { userId: user.id, tenantId: user.tenantId, role: user.role };
    const token = await this.tokens.sign(principal, this.accessTtl);
    return { token, user, expiresAt: new Date(Date.now() + ttlMs(this.accessTtl)).toISOString() };
  }

  private async issueRefresh(user: PublicUser, familyId: string): Promise<{ refreshToken: string; refreshExpiresAt: Date }> {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.refreshDays * 86_400_000);
    await this.prisma.refreshToken.create({
      data: { id: randomUUID(), userId: user.id, tenantId: user.tenantId, familyId, tokenHash: hashRefreshToken(refreshToken), expiresAt: refreshExpiresAt },
    });
    return { refreshToken, refreshExpiresAt };
  }
}

/** "15m" → milliseconds (the JWT_TTL format: s, m, h, d). */
export function ttlMs(ttl: string): number {
  const match = /^(\d+)([smhd])$/.exec(ttl);
  if (!match) throw new Error(`bad ttl ${ttl}`);
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

/** The refresh cookie's value from a Cookie header. */
export function refreshCookieOf(cookieHeader: string | null): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === REFRESH_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** Set-Cookie for the refresh token (or clearing it when `value` is null). */
export function refreshCookie(value: string | null, expires: Date | null, secure: boolean): string {
  const attributes = [`${REFRESH_COOKIE}=${value ?? ''}`, `Path=${REFRESH_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  attributes.push(value && expires ? `Expires=${expires.toUTCString()}` : 'Max-Age=0');
  return attributes.join('; ');
}
