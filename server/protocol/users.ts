import { z } from 'zod';
import { roleSchema } from './auth';
import { homeArea } from './home-area';

/** An IANA time zone name this runtime knows ("Europe/Berlin", "UTC"). */
export const timeZone = z
  .string()
  .trim()
  .min(1, 'Enter a time zone')
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be a time zone such as Europe/Berlin or America/New_York');

export const password = z.string().min(8, 'must be at least 8 characters').max(200);

export const createUserRequest = z
  .object({
    email: z.string().trim().toLowerCase().email('must be an email address').max(254),
    name: z.string().trim().min(1, 'is required').max(100),
    password,
    role: roleSchema,
  })
  .strict();
export type CreateUserRequest = z.infer<typeof createUserRequest>;

export const createTenantRequest = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'lowercase letters, digits and dashes, 2–41 characters'),
    admin: createUserRequest.omit({ role: true }),
  })
  .strict();
export type CreateTenantRequest = z.infer<typeof createTenantRequest>;

export const updateTenantRequest = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100).optional(),
    receptionEnabled: z.boolean().optional(),
    /** Live positions per second per vehicle. */
    vehicleRateLimit: z.number().min(0.01).max(100).optional(),
    /** IANA time zone ("Europe/Berlin"): the default for fences and reports. */
    timeZone: timeZone.optional(),
    /** Where the fleet works, [west, south, east, north]; null clears it. */
    homeArea: homeArea.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type UpdateTenantRequest = z.infer<typeof updateTenantRequest>;

export const receptionRequest = z.object({ enabled: z.boolean() }).strict();
