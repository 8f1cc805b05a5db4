import { getServices } from '@/server/services';
import { checkReadiness } from '@/server/telemetry/readiness';

export const dynamic = 'force-dynamic';

/**
 * Readiness for load balancers: 200 {ready: true}, or 503 {ready: false, reasons} while the
 * database does not answer, migrations are pending, the ingest queue is nearly full, or the
 * instance is starting or shutting down. `/api/health` stays the liveness check.
 */
export async function GET(): Promise<Response> {
  const services = getServices();
  const started = performance.now();
  if (!services) return Response.json({ ready: false, reasons: ['starting'] }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  const result = await checkReadiness(services.readiness);
  const status = result.ready ? 200 : 503;
  services.telemetry.httpRequest('/api/ready', 'GET', status, (performance.now() - started) / 1000);
  return Response.json(result.ready ? { ready: true } : result, { status, headers: { 'Cache-Control': 'no-store' } });
}
