import { z } from 'zod';
import { operations, schemas, type Operation } from './operations.js';

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

/** The OpenAPI 3.1 document of the editor API, built once from the operation list. */
export function buildOpenApiDocument(serverUrl = '/api/v1'): JsonSchema {
  const requests = operations.flatMap((operation) => (operation.body ? [operation.body] : []));
  const answers = operations.flatMap((operation) => Object.values(operation.responses).filter((entry) => entry !== null));
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of operations) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, entry] of Object.entries(operation.responses)) {
      responses[status] = entry
        ? { description: 'Success', content: { 'application/json': { schema: ref(entry[0]) } } }
        : { description: 'Success, no content' };
    }
    responses.default = {
      description: 'An RFC 9457 problem: 400 names each invalid field in `errors`; 401 without credentials; 404 for what is not yours',
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
      security: operation.auth === 'none' ? [] : [{ bearerToken: [] }, { sessionCookie: [], csrfToken: [] }],
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
      title: 'vr-tour editor API',
      version: '1',
      description:
        'Build 360° tours: upload panoramas, add scenes and hotspots, publish. Authenticate with a personal API token ' +
        '(`Authorization: Bearer vrt_…`) or a session cookie; cookie-authenticated writes also send `X-CSRF-Token`. ' +
        'Another user’s objects answer 404. Published tours are read at `/api/v1/public/tours/{id}`.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token from POST /auth/tokens' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vrt_session' },
        csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'From GET /auth/session; needed on cookie-authenticated writes' },
      },
      schemas: { ...componentSchemas([...answers, schemas.problem], 'output'), ...componentSchemas(requests, 'input') },
    },
    paths,
  };
}
