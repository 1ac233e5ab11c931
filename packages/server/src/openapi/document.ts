import { z } from 'zod';
import { nestedComponents, operations, schemas, type NamedSchema, type Operation } from './operations.js';

type JsonSchema = Record<string, unknown>;

/** One conversion of every named schema: request bodies as accepted (input), answers as sent (output). */
function componentSchemas(named: [string, z.ZodType][], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  const seen = new Set<string>();
  for (const [name, schema] of named) {
    if (seen.has(name)) continue;
    seen.add(name);
    registry.add(schema, { id: name });
  }
  const { schemas: converted } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    // Refinements (e.g. a URL's allowed schemes) have no JSON Schema form: the prose summary carries them.
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  // Schemas used by several named ones without a name of their own (the recursive JSON value
  // of custom hotspot payloads) come back under `__shared.$defs`: give each a component name.
  const { __shared: shared, ...own } = converted as Record<string, JsonSchema>;
  const hoisted: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries((shared?.$defs ?? {}) as Record<string, JsonSchema>)) {
    hoisted[`Shared_${io}_${name}`] = schema;
  }
  const result = Object.fromEntries(
    Object.entries({ ...own, ...hoisted }).map(([name, { $schema: _schema, $id: _id, ...rest }]) => [name, rest]),
  );
  return JSON.parse(
    JSON.stringify(result).replaceAll('#/components/schemas/__shared#/$defs/', `#/components/schemas/Shared_${io}_`),
  ) as Record<string, JsonSchema>;
}

function parameters(operation: Operation): JsonSchema[] {
  const path = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  }));
  const query = Object.entries(operation.query?.shape ?? {}).map(([name, schema]) => {
    const { $schema: _schema, ...converted } = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' });
    return { name, in: 'query', required: !(schema as z.ZodType).safeParse(undefined).success, schema: converted };
  });
  return [...path, ...query];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const isNamed = (entry: unknown): entry is NamedSchema => Array.isArray(entry);

const EMPTY_ANSWERS: Record<string, string> = {
  '204': 'Success, no content',
  '304': 'Not modified: the If-None-Match ETag still matches',
};

/** The problem+json answers an operation can give: those its inputs and access imply, then its own. */
function problemsOf(operation: Operation): Record<string, string> {
  const access = operation.auth ?? 'user';
  const write = operation.method !== 'get';
  const hasPath = operation.path.includes('{');
  const when: Record<string, string[]> = {};
  const add = (status: number, reason: string | false) => {
    if (reason) (when[status] ??= []).push(reason);
  };
  add(400, Boolean(hasPath || operation.query || operation.body || operation.multipart) && 'Validation Failed: `errors` names each invalid path, query or body field');
  add(401, (access === 'user' || access === 'admin') && 'no credentials, an expired session, or an unknown or revoked API token');
  add(401, (access === 'none' || access === 'session') && 'an unknown or revoked API token was sent');
  add(403, access === 'admin' && 'the caller is not an admin');
  add(403, write && access !== 'public' && 'a live session cookie without its X-CSRF-Token header');
  add(404, hasPath && access !== 'public' && 'no such object among yours (another user’s answers the same)');
  for (const [status, reason] of Object.entries(operation.problems ?? {})) add(Number(status), reason);
  return Object.fromEntries(Object.entries(when).map(([status, reasons]) => [status, reasons.join('; or ')]));
}

/** Bearer tokens need no CSRF token: a script holding one is not a browser being tricked (auth/middleware.ts). */
function securityOf(operation: Operation): JsonSchema[] {
  const cookie = operation.method === 'get' ? { sessionCookie: [] } : { sessionCookie: [], csrfToken: [] };
  switch (operation.auth ?? 'user') {
    case 'public':
    case 'none':
      return [];
    case 'session':
      return [{}, cookie];
    default:
      return [{ bearerToken: [] }, cookie];
  }
}

/** The OpenAPI 3.1 document of everything under /api/v1, built once from the operation list. */
export function buildOpenApiDocument(serverUrl = '/api/v1'): JsonSchema {
  const requests = operations.flatMap((operation) => (operation.body ? [operation.body] : []));
  const answers = operations.flatMap((operation) => Object.values(operation.responses).filter(isNamed));
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of operations) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, entry] of Object.entries(operation.responses)) {
      responses[status] = isNamed(entry)
        ? { description: 'Success', content: { 'application/json': { schema: ref(entry[0]) } } }
        : entry
          ? { description: entry.description, content: { [entry.contentType]: { schema: { type: entry.contentType === 'text/plain' ? 'string' : 'object' } } } }
          : { description: EMPTY_ANSWERS[status] ?? 'Success, no content' };
    }
    for (const [status, description] of Object.entries(problemsOf(operation))) {
      responses[status] = { description, content: { 'application/problem+json': { schema: ref(schemas.problem[0]) } } };
    }
    responses.default = {
      description: 'Any other error, e.g. 500, as an RFC 9457 problem',
      content: { 'application/problem+json': { schema: ref(schemas.problem[0]) } },
    };
    const body = operation.body
      ? { required: true, content: { 'application/json': { schema: ref(operation.body[0]) } } }
      : operation.multipart
        ? {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    ...(z.toJSONSchema(operation.multipart, { io: 'input' }).properties as object),
                    file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'JPEG, PNG, WebP or AVIF, checked by content' },
                  },
                },
              },
            },
          }
        : undefined;
    (paths[operation.path] ??= {})[operation.method] = {
      tags: [operation.tag],
      summary: operation.summary,
      operationId: `${operation.method}${operation.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      security: securityOf(operation),
      ...(operation.root ? { servers: [{ url: '/', description: 'The site’s root: this operation is not under /api/v1' }] } : {}),
      ...(operation.auth === 'admin' ? { description: 'Admins only (403 for other users).' } : {}),
      parameters: parameters(operation),
      ...(body ? { requestBody: body } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'vr-tour API',
      version: '1',
      description:
        'Build 360° tours: upload panoramas, add scenes and hotspots, publish. Authenticate with a personal API token ' +
        '(`Authorization: Bearer vrt_…`) or a session cookie; cookie-authenticated writes also send `X-CSRF-Token`. ' +
        'Another user’s objects answer 404. Published tours are read, from any origin and without credentials, at ' +
        '`/api/v1/public/tours/{id}`. Every error is an RFC 9457 problem (`application/problem+json`).',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token from POST /auth/tokens' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vrt_session' },
        csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'From GET /auth/session; needed on cookie-authenticated writes' },
      },
      schemas: { ...componentSchemas([...answers, schemas.problem, ...nestedComponents], 'output'), ...componentSchemas(requests, 'input') },
    },
    paths,
  };
}
