import { docsPage } from '@/server/openapi/docs-page';

export const dynamic = 'force-dynamic';

/** The interactive API reference (Swagger UI bundled from npm, served from our origin). */
export function GET(): Response {
  return docsPage();
}
