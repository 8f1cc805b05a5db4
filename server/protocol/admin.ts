import { z } from 'zod';
import { roleSchema } from './auth';
import { password } from './users';

/** PATCH /api/v1/users/:id — what an admin can change about a user. */
export const updateUserRequest = z
  .object({
    name: z.string().trim().min(1, 'Enter a name').max(100).optional(),
    role: roleSchema.optional(),
    /** false deactivates: the user can no longer sign in and every token of theirs stops working at once. */
    active: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type UpdateUserRequest = z.infer<typeof updateUserRequest>;

/** POST /api/v1/users/:id/password — an admin sets a new password; the user's sessions end. */
export const resetPasswordRequest = z.object({ password }).strict();

/** One problem of a CSV import, named by row (as numbered in the file, header = 1) and column. */
export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

/** Columns of the vehicle CSV import (header row, any order; `name` and `deviceId` required). */
export const VEHICLE_CSV_COLUMNS = ['name', 'deviceId', 'plate', 'type', 'group', 'driverEmail', 'speedLimitKmh', 'capabilities', 'receptionEnabled'] as const;

/** The answer to a refused import: every bad row and column at once (nothing was imported). */
export interface ImportErrorsDetails {
  errors: ImportRowError[];
}

/** POST /api/v1/vehicles/:id/device-token — a new device token; the old one stops working at once. */
export interface DeviceTokenResponse {
  deviceToken: string;
}
