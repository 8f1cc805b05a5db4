import { route } from '@/server/http/route';

type Params = { id: string };

/** A scheduled report's file by its signed link (`?expires&signature`): no sign-in, until the link expires. */
export const GET = route<Params>(async (ctx) => ctx.services.reportSchedules.download(ctx.params.id, new URL(ctx.request.url).searchParams));
