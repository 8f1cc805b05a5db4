import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Written by scripts/build-driver-sw.mjs after `next build` (it needs the build's chunk list). */
const BUILT_WORKER = path.join(process.cwd(), '.next', 'driver-sw.js');

export const dynamic = 'force-dynamic';

/**
 * GET /driver-sw.js: the driver page's service worker. Served from the site root so that it may
 * control /driver; never cached by HTTP, so a new build's worker is picked up on the next visit.
 */
export async function GET(): Promise<Response> {
  let source: string;
  try {
    source = await readFile(BUILT_WORKER, 'utf8');
  } catch {
    return new Response('// no driver service worker in this build (run `npm run build`)\n', {
      status: 404,
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
  return new Response(source, {
    headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
}
