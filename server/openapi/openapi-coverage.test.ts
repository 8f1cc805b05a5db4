import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asyncApiDocument } from './asyncapi';
import { checkCoverage, routeEndpoints } from './coverage';
import { openApiDocument } from './document';
import { exportedMethods, pathOfRouteFile } from './registry';
import { ROUTE_DOCS } from './routes';

const APP_DIR = path.resolve(import.meta.dirname, '../../app');

describe('OpenAPI coverage (the CI check)', () => {
  it('documents every method of every app/api route.ts, and nothing that does not exist', () => {
    const result = checkCoverage(routeEndpoints(APP_DIR), ROUTE_DOCS);
    expect(result.undocumented, 'routes without an entry in server/openapi/routes.ts').toEqual([]);
    expect(result.stale, 'entries in server/openapi/routes.ts for routes that do not exist').toEqual([]);
  });

  it('fails on purpose for an undocumented route (a fake app/ with one extra route)', () => {
    const fake = mkdtempSync(path.join(tmpdir(), 'openapi-check-'));
    mkdirSync(path.join(fake, 'api/v1/widgets/[id]'), { recursive: true });
    writeFileSync(path.join(fake, 'api/v1/widgets/[id]/route.ts'), 'export const GET = route(async () => x);\nexport async function DELETE() {}\n');
    const docs = [{ method: 'GET' as const, path: '/api/v1/widgets/{id}' }];
    const result = checkCoverage(routeEndpoints(fake), docs);
    expect(result.undocumented).toEqual([`DELETE /api/v1/widgets/{id} (${path.join('api/v1/widgets/[id]/route.ts')})`]);
    expect(checkCoverage(routeEndpoints(fake), []).undocumented).toHaveLength(2);
  });

  it('reads route files the way Next does', () => {
    expect(pathOfRouteFile('api/v1/webhooks/[id]/deliveries/[deliveryId]/redeliver/route.ts')).toBe('/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver');
    expect(exportedMethods('export const GET = route(x);\nexport const POST = GET;\nexport { PUT, helper, x as PATCH };').sort()).toEqual(['GET', 'PATCH', 'POST', 'PUT']);
    expect(exportedMethods('export const dynamic = "force-dynamic"; export async function GET() {}')).toEqual(['GET']);
  });
});

describe('generated documents', () => {
  it('OpenAPI 3.1: every operation has auth, error codes and a success answer; bodies come from zod', () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(doc.openapi).toBe('3.1.0');
    let operations = 0;
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        expect(op.security, `${method} ${p}`).toBeDefined();
        expect((op['x-error-codes'] as string[]).length).toBeGreaterThan(0);
        expect(Object.keys(op.responses as object).some((s) => s.startsWith('2'))).toBe(true);
      }
    }
    expect(operations).toBe(ROUTE_DOCS.length);
    const create = doc.paths['/api/v1/geofences']!.post as { requestBody: { content: Record<string, { schema: { required?: string[] } }> } };
    expect(create.requestBody.content['application/json']!.schema.required).toContain('geometry');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('every request example is valid for the schema it documents', () => {
    for (const doc of ROUTE_DOCS) {
      if (doc.example === undefined || !(doc.body instanceof z.ZodType)) continue;
      const result = doc.body.safeParse(doc.example);
      expect(result.success, `${doc.method} ${doc.path}: ${result.error?.message}`).toBe(true);
    }
  });

  it('AsyncAPI 3.0: both namespaces and every domain event type', () => {
    const doc = asyncApiDocument() as { channels: Record<string, { address: string; messages: object }> };
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual(['/fleet', '/driver', '/api/v1/events/stream']);
    expect(Object.keys(doc.channels.domain_events!.messages).length).toBeGreaterThan(30);
  });
});
