import { z } from 'zod';

export const VEHICLE_TYPES = ['car', 'van', 'truck', 'bus', 'motorcycle', 'bicycle', 'other'] as const;

const name = z.string().trim().min(1, 'is required').max(100);
const plate = z.string().trim().max(20).nullable();
/** Vehicle group ("North depot"); empty → no group. */
export const groupName = z
  .string()
  .trim()
  .max(60, 'must be at most 60 characters')
  .nullable()
  .transform((v) => (v ? v : null));
const deviceId = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain letters, digits and . _ : - only');

export const createVehicleRequest = z
  .object({
    name,
    plate: plate.optional(),
    type: z.enum(VEHICLE_TYPES).default('van'),
    deviceId,
    driverId: z.string().uuid().nullable().optional(),
    receptionEnabled: z.boolean().default(true),
    attributes: z.record(z.string(), z.unknown()).default({}),
    groupName: groupName.optional(),
  })
  .strict();
export type CreateVehicleRequest = z.infer<typeof createVehicleRequest>;

/** POST /api/v1/vehicles takes one vehicle, or an array of up to 1000 created all or nothing. */
export const MAX_VEHICLES_PER_REQUEST = 1000;
export const createVehicleList = z.array(createVehicleRequest).min(1, 'must hold at least one vehicle').max(MAX_VEHICLES_PER_REQUEST);

export const updateVehicleRequest = z
  .object({
    name: name.optional(),
    plate: plate.optional(),
    type: z.enum(VEHICLE_TYPES).optional(),
    deviceId: deviceId.optional(),
    driverId: z.string().uuid().nullable().optional(),
    receptionEnabled: z.boolean().optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    groupName: groupName.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type UpdateVehicleRequest = z.infer<typeof updateVehicleRequest>;

/** A vehicle as REST returns it. deviceToken is present for admins only. */
export interface VehicleDto {
  id: string;
  name: string;
  plate: string | null;
  type: string;
  deviceId: string;
  deviceToken?: string;
  driverId: string | null;
  receptionEnabled: boolean;
  attributes: Record<string, unknown>;
  groupName: string | null;
  createdAt: string;
  state: { lng: number; lat: number; speed: number | null; heading: number | null; battery: number | null; ts: string } | null;
}
