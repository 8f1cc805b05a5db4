import { authenticate, route, uuidParam } from '@/server/http/route';
import type { DeviceTokenResponse } from '@/server/protocol/admin';

/** A new device token for the vehicle; the old one stops working at once. */
export const POST = route<{ id: string }>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const deviceToken = await ctx.services.vehicles.rotateDeviceToken(principal, uuidParam(ctx.params.id, 'vehicle'));
  return Response.json({ deviceToken } satisfies DeviceTokenResponse);
});
