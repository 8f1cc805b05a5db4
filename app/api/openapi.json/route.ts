import { openApiDocument } from '@/server/openapi/document';

export const dynamic = 'force-dynamic';

let cached: string | null = null;

/** The OpenAPI 3.1 document, generated from server/openapi/routes.ts and the zod schemas. */
export function GET(): Response {
  cached ??= JSON.stringify(openApiDocument());
  return new Response(cached, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' } });
}
