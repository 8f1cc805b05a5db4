import { asyncApiDocument } from '@/server/openapi/asyncapi';

export const dynamic = 'force-dynamic';

let cached: string | null = null;

/** The AsyncAPI 3.0 document: Socket.IO /fleet and /driver, and the domain event catalogue. */
export function GET(): Response {
  cached ??= JSON.stringify(asyncApiDocument());
  return new Response(cached, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' } });
}
