import { z } from 'zod';

export const ROLES = ['admin', 'manager', 'driver', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const loginRequest = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address').max(254),
  password: z.string().min(1, 'is required').max(200),
});
export type LoginRequest = z.infer<typeof loginRequest>;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  tenantName: string;
}

export interface LoginResponse {
  token: string;
  user: PublicUser;
}
