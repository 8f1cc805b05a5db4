import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

/** Liveness + database: 200 {status:'ok', db:'ok'}, or 503 with the reason. */
export async function GET(): Promise<Response> {
  const services = getServices();
  if (!services) return Response.json({ status: 'starting', db: 'unknown' }, { status: 503 });
  try {
    await services.db.ping();
    return Response.json({ status: 'ok', db: 'ok' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Response.json({ status: 'error', db: 'unavailable', reason }, { status: 503 });
  }
}
