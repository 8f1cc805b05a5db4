import { z } from 'zod';
import { ERROR_CODES, HTTP_STATUS, type ErrorCode } from '../protocol/errors';
import type { RouteDoc } from './registry';
import { ROUTE_DOCS } from './routes';

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), describing what a client sends. */
export function jsonSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete out.$schema;
  return out;
}

const SECURITY: Record<RouteDoc['auth'], Json[] | undefined> = {
  none: [],
  jwt: [{ bearerJwt: [] }],
  device: [{ deviceToken: [] }],
  ingest: [{ deviceToken: [] }, { bearerJwt: [] }],
  ticket: [{ streamTicket: [] }, { bearerJwt: [] }],
  share: [],
};

/** Query parameters from an object schema: one parameter per property. */
function queryParameters(schema: z.ZodType): Json[] {
  const js = jsonSchema(schema);
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s, ...(s.description ? { description: s.description } : {}) }));
}

function operation(doc: RouteDoc): Json {
  const parameters: Json[] = [...doc.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (doc.query) parameters.push(...queryParameters(doc.query));
  const errors = new Set<ErrorCode>([...doc.errors, 'RATE_LIMITED', 'INTERNAL']);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errors) byStatus.set(HTTP_STATUS[code], [...(byStatus.get(HTTP_STATUS[code]) ?? []), code]);
  const responses: Json = {
    [String(doc.response.status ?? 200)]: {
      description: doc.response.description,
      content: { [doc.response.contentType ?? 'application/json']: doc.response.example === undefined ? {} : { example: doc.response.example } },
    },
  };
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[String(status)] = {
      description: codes.join(', '),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: { error: { code: codes[0], message: `…` } } } },
    };
  }
  const roles = doc.roles ? `Roles: ${doc.roles.join(', ')}.` : doc.auth === 'jwt' ? 'Roles: any logged-in user.' : '';
  const result: Json = {
    operationId: `${doc.method.toLowerCase()}${doc.path.replace(/\{([^}]+)\}/g, 'By-$1').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [doc.tag],
    summary: doc.summary,
    description: [doc.description, `Auth: ${doc.auth}. ${roles}`.trim(), `Errors: ${[...errors].join(', ')}.`].filter(Boolean).join('\n\n'),
    security: SECURITY[doc.auth],
    ...(doc.roles ? { 'x-roles': doc.roles } : {}),
    'x-error-codes': [...errors],
    ...(parameters.length ? { parameters } : {}),
    responses,
  };
  if (doc.body) {
    const content =
      doc.body instanceof z.ZodType
        ? { 'application/json': { schema: jsonSchema(doc.body), ...(doc.example === undefined ? {} : { example: doc.example }) } }
        : { [doc.body.contentType]: { schema: { type: 'string', description: doc.body.description } } };
    result.requestBody = { required: true, content };
  }
  return result;
}

/** The OpenAPI 3.1 document of the REST API. */
export function openApiDocument(docs: readonly RouteDoc[] = ROUTE_DOCS, serverUrl = '/'): Json {
  const paths: Record<string, Json> = {};
  for (const doc of docs) (paths[doc.path] ??= {})[doc.method.toLowerCase()] = operation(doc);
  return {
    openapi: '3.1.0',
    info: {
      title: 'GeoFleet API',
      version: '1',
      description:
        'Real-time fleet tracking and geofencing. Errors are always `{error:{code,message,field?}}`. ' +
        'The Socket.IO namespaces (/fleet, /driver) and the domain event catalogue are in the AsyncAPI document at /api/asyncapi.json.',
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(docs.map((d) => d.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'POST /api/v1/auth/login → token' },
        deviceToken: { type: 'http', scheme: 'bearer', description: "A vehicle's device token (OwnTracks: Basic auth; OsmAnd: ?id=)" },
        streamTicket: { type: 'apiKey', in: 'query', name: 'ticket', description: 'POST /api/v1/events/stream-ticket → ticket' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: [...ERROR_CODES] },
                message: { type: 'string' },
                field: { type: 'string' },
                details: { type: 'object' },
              },
            },
          },
        },
      },
    },
  };
}
