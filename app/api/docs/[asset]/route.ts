import { docsAsset } from '@/server/openapi/docs-page';
import { ApiError, errorResponse } from '@/server/protocol/errors';

/** The viewer's scripts and styles (from node_modules/swagger-ui-dist). */
export async function GET(_request: Request, context: { params: Promise<{ asset: string }> }): Promise<Response> {
  const { asset } = await context.params;
  return (await docsAsset(asset)) ?? errorResponse(new ApiError('NOT_FOUND', `no such file: ${asset}`));
}
