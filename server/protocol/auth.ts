import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'driver', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const loginRequest = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address').max(254),
  password: z.string().min(1, 'is required').max(200),
  /** Browser sign-in: a short-lived access token plus a refresh token in an httpOnly cookie (docs/admin.md). */
  session: z.boolean().optional(),
});
export type LoginRequest = z.infer<typeof loginRequest>;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  tenantName: string;
  /** False once an admin has deactivated the user (listed for admins and managers). */
  active?: boolean;
}

export interface LoginResponse {
  token: string;
  user: PublicUser;
  /** When the access token expires (ISO 8601); sessions refresh before it (POST /api/v1/auth/refresh). */
  expiresAt?: string;
}
