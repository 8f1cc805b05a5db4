import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { ApiError } from '../protocol/errors';
import { roleSchema, type Role } from '../protocol/auth';
import type { UserAccess } from './access';

/** Who is calling, as established from a verified JWT. Every query is scoped by tenantId. */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
}

const ISSUER = 'geofleet';
const AUDIENCE = 'geofleet';

export class TokenService {
  private readonly key: Uint8Array;
  /** Deactivated users and session cut-offs (server/auth/access.ts); unset in unit tests. */
  private access: UserAccess | undefined;

  constructor(
    secret: string,
    private readonly ttl: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Every verified token is also checked against the users' access (deactivation, cut-offs). */
  useAccess(access: UserAccess): void {
    this.access = access;
  }

  /** A token for `principal`, valid for `ttl` (default JWT_TTL; browser sessions pass the short access TTL). */
  sign(principal: Principal, ttl = this.ttl): Promise<string> {
    // `ims`: the issue time in ms (iat has whole seconds), compared with the user's session cut-off.
    return new SignJWT({ tid: principal.tenantId, role: principal.role, ims: Date.now() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(this.key);
  }

  /** Verifies signature, issuer, audience and expiry; any failure is UNAUTHORIZED. */
  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const role = roleSchema.safeParse(payload.role);
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !role.success) {
        throw new ApiError('UNAUTHORIZED', 'token is missing its user, tenant or role');
      }
      const issuedAtMs = typeof payload.ims === 'number' ? payload.ims : (payload.iat ?? 0) * 1000;
      this.access?.check(payload.sub, issuedAtMs);
      return { userId: payload.sub, tenantId: payload.tid, role: role.data };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const reason = error instanceof joseErrors.JWTExpired ? 'token has expired' : 'token is invalid';
      throw new ApiError('UNAUTHORIZED', reason);
    }
  }
}

export function requireRole(principal: Principal, roles: readonly Role[], action: string): void {
  if (!roles.includes(principal.role)) {
    throw new ApiError('FORBIDDEN', `role ${principal.role} may not ${action} (needs ${roles.join(' or ')})`);
  }
}

/** The token from an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}
