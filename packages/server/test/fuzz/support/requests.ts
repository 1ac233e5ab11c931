import fc from 'fast-check';
import { poisonValue, serialize, VALUE_POISONS, nastyText, type ValuePoison } from './poisons.js';
import { resolve, validValue, type IdPool, type Schema, type SchemaSource } from './schema.js';
import type { FuzzRequest } from './harness.js';

/** One operation of the OpenAPI document, as the fuzzer reads it. */
export interface DocumentOperation {
  /** Method and path, and the body's shape when there are several. */
  name: string;
  method: string;
  /** Template under the server URL, e.g. /tours/{id}. */
  path: string;
  parameters: { name: string; in: 'path' | 'query'; required?: boolean; schema: Schema }[];
  body?: { kind: 'json'; schema: Schema } | { kind: 'multipart'; schema: Schema };
  /** Admin-only operations are called as an admin, so they get past the role check. */
  admin: boolean;
}

/**
 * The document's operations; one whose JSON body is one of several shapes (a
 * hotspot of each type) is one target per shape, so each shape gets its runs.
 */
export function documentOperations(doc: SchemaSource & { paths: Record<string, Record<string, any>> }): DocumentOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => {
      const content = operation.requestBody?.content ?? {};
      const common = { method: method.toUpperCase(), path, parameters: operation.parameters ?? [], admin: /admins only/i.test(operation.description ?? '') };
      if (content['multipart/form-data']) return [{ ...common, name: `${common.method} ${path}`, body: { kind: 'multipart' as const, schema: content['multipart/form-data'].schema } }];
      if (!content['application/json']) return [{ ...common, name: `${common.method} ${path}` }];
      const schema = content['application/json'].schema as Schema;
      const shapes = (resolve(doc, schema).oneOf ?? resolve(doc, schema).anyOf ?? [schema]) as Schema[];
      return shapes.map((shape, index) => {
        const kind = resolve(doc, shape).properties?.type?.const ?? (shapes.length > 1 ? `shape ${index + 1}` : undefined);
        return { ...common, name: `${common.method} ${path}${kind ? ` (${kind})` : ''}`, body: { kind: 'json' as const, schema: shape } };
      });
    }),
  );
}

export interface Caller {
  token: string;
  cookie: string;
  csrf: string;
}

export interface FuzzContext {
  doc: SchemaSource;
  /** The server URL prefix of the document's paths (/api/v1). */
  base: string;
  ids: IdPool;
  /** Real ids to put in a path, by its first segment (tours, scenes, …); others get a random UUID. */
  pathIds: Record<string, string>;
  creator: Caller;
  admin: Caller;
  /** A small JPEG that the upload would accept, so only the poison stops it. */
  image: Buffer;
}

/** Poisons carried by a JSON body; an operation without one gets a body for them too (the JSON parser reads any). */
const BODY_POISONS = [...VALUE_POISONS, 'invalid-json', 'scalar-body', 'unsupported-charset', 'bad-content-encoding'] as const;
const REQUEST_POISONS = ['query-nul', 'bad-token', 'cookie-without-csrf', 'path-parameter', 'query-value'] as const;
const MULTIPART_POISONS = ['filename-nul', 'field-value', 'no-boundary', 'broken-multipart', 'two-files', 'no-file'] as const;
type Poison = (typeof BODY_POISONS)[number] | (typeof REQUEST_POISONS)[number] | (typeof MULTIPART_POISONS)[number];

/** Path parameter values, percent-encoded as sent. */
const BAD_PATH_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%F0%9F', '%E0%A4%A', '__proto__', 'constructor', '..%2F..%2Fetc%2Fpasswd', '1e400', '9'.repeat(400), 'x'.repeat(4000), '%25', '00000000-0000-0000-0000-000000000000%00', 'null', '-1', '%20', '%uD800'];

/** Query values, percent-encoded as sent: wrong types, out of range, encoded structures. */
const BAD_QUERY_VALUES = [
  '', 'abc', '-1', '0', '1.5', '1e400', '99999999999999999999', '__proto__', 'constructor', 'null', '%00', 'x'.repeat(5000), '%ED%A0%80', 'true',
  Buffer.from(JSON.stringify(['not a time', '00000000-0000-4000-8000-000000000000'])).toString('base64url'),
  Buffer.from(JSON.stringify(['-infinity', '00000000-0000-4000-8000-000000000000'])).toString('base64url'),
  Buffer.from(JSON.stringify(['99999-12-31', '00000000-0000-4000-8000-000000000000'])).toString('base64url'),
  Buffer.from(JSON.stringify({ __proto__: null, at: 1 })).toString('base64url'),
  encodeURIComponent('-271821-04-20T00:00:00Z|00000000-0000-4000-8000-000000000000'),
  encodeURIComponent('275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
  encodeURIComponent('+020000-01-01|00000000-0000-4000-8000-000000000000'),
];

const noiseHeaders = fc.record(
  {
    Accept: fc.constantFrom('*/*', 'application/json', 'text/html', 'application/problem+json', '\u00ff\u00fe', ''),
    'X-Request-Id': fc.stringMatching(/^[\x20-\x7e\x80-\xff]{0,80}$/),
    'User-Agent': fc.constantFrom('Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', '', 'curl/8.0', '\u00e9\u00ff'),
    'X-Forwarded-For': fc.constantFrom('1.2.3.4', 'not-an-ip', '::1, 10.0.0.1', '', '999.999.999.999'),
    Origin: fc.constantFrom('https://evil.example', 'null', ''),
    'Accept-Encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*'),
  },
  { requiredKeys: [] },
);

const junkCookie = fc.constantFrom('vrt_session=%00', 'vrt_session=%E0%A4%A', `vrt_session=${'a'.repeat(300)}`, '=;;;', 'vrt_session=x; vrt_session=y', 'vrt_csrf=%00');

/** Percent-encoding as a browser does it: a lone surrogate, which UTF-8 cannot carry, becomes U+FFFD. */
const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

function encodeQuery(entries: [string, string][]): string {
  return entries.length ? `?${entries.map(([name, value]) => `${encode(name)}=${value}`).join('&')}` : '';
}

function multipart(parts: { name: string; filename?: string; filenameStar?: string; type?: string; data: Buffer | string }[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let disposition = `form-data; name="${part.name}"`;
    if (part.filename !== undefined) disposition += `; filename="${part.filename}"`;
    if (part.filenameStar !== undefined) disposition += `; filename*=${part.filenameStar}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`, 'latin1'));
    chunks.push(Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** The poisons that can stop a request to `operation`, weighted: most runs go to what the body carries. */
export function poisonsFor(operation: DocumentOperation): fc.Arbitrary<Poison> {
  const weighted: [Poison, number][] = [...VALUE_POISONS.map((poison): [Poison, number] => [poison, 3]), ...BODY_POISONS.slice(VALUE_POISONS.length).map((poison): [Poison, number] => [poison, 1])];
  weighted.push(['query-nul', 1], ['bad-token', 1]);
  if (operation.method !== 'GET') weighted.push(['cookie-without-csrf', 1]);
  if (operation.parameters.some((parameter) => parameter.in === 'path')) weighted.push(['path-parameter', 2]);
  if (operation.parameters.some((parameter) => parameter.in === 'query')) weighted.push(['query-value', 4]);
  if (operation.body?.kind === 'multipart') weighted.push(...MULTIPART_POISONS.map((poison): [Poison, number] => [poison, 4]));
  return fc.oneof(...weighted.map(([poison, weight]) => ({ weight, arbitrary: fc.constant(poison) })));
}

/**
 * Requests to `operation` that are valid but for one poison (and harmless noise in
 * the headers): a real caller, real ids in the path and body where the document
 * asks for ids, so each request gets as far into the handler as its poison allows.
 */
export function requestArbitrary(ctx: FuzzContext, operation: DocumentOperation): fc.Arbitrary<FuzzRequest> {
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const validQuery = fc.tuple(
    ...queryParameters.map((parameter) =>
      fc.option(validValue(ctx, parameter.schema, parameter.name).map((value) => [parameter.name, encode(String(value))] as [string, string]), {
        nil: undefined,
        freq: parameter.required ? 1_000_000 : 2,
      }),
    ),
  );
  const jsonBody = operation.body?.kind === 'json' ? validValue(ctx, operation.body.schema) : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  const kinds = operation.body?.kind === 'multipart' ? ['panorama', 'image', 'floor_plan'] : [];
  return fc
    .record({
      poison: poisonsFor(operation),
      viaCookie: fc.boolean(),
      anonymous: fc.boolean(),
      body: jsonBody,
      query: validQuery,
      noise: noiseHeaders,
      junkCookie: fc.option(junkCookie),
      text: nastyText,
      picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    })
    .map(({ poison, viaCookie, anonymous, body, query, noise, junkCookie, text, picks }): FuzzRequest => {
      let next = 0;
      const pick = (count: number) => picks[next++ % picks.length]! % count;
      const caller = operation.admin ? ctx.admin : ctx.creator;
      const write = operation.method !== 'GET';
      const headers: Record<string, string> = { ...noise };
      if (viaCookie || poison === 'cookie-without-csrf') {
        headers.Cookie = caller.cookie;
        if (write && poison !== 'cookie-without-csrf') headers['X-CSRF-Token'] = caller.csrf;
      } else if (!anonymous || poison === 'bad-token') {
        headers.Authorization = `Bearer ${caller.token}`;
        if (junkCookie) headers.Cookie = junkCookie;
      } else if (junkCookie) {
        headers.Cookie = junkCookie;
      }
      if (poison === 'bad-token') headers.Authorization = ['Bearer junk', `Bearer vrt_${'x'.repeat(43)}`, '', 'Basic Zm9vOmJhcg==', `Bearer ${caller.token}x`][pick(5)]!;

      let description: string = poison;
      const segment = operation.path.split('/')[1] ?? '';
      let path = operation.path.replace(/\{(\w+)\}/g, () => ctx.pathIds[segment] ?? crypto.randomUUID());
      if (poison === 'path-parameter') {
        const bad = BAD_PATH_VALUES[pick(BAD_PATH_VALUES.length)]!;
        path = operation.path.replace(/\{(\w+)\}/g, bad);
        description += ` ${bad.slice(0, 40)}`;
      }
      const entries = query.filter((entry): entry is [string, string] => entry !== undefined);
      if (poison === 'query-value') {
        const parameter = queryParameters[pick(queryParameters.length)]!;
        const bad = BAD_QUERY_VALUES[pick(BAD_QUERY_VALUES.length)]!;
        const others = entries.filter(([name]) => name !== parameter.name);
        entries.splice(0, entries.length, ...others, [parameter.name, bad], ...(pick(3) === 0 ? [[parameter.name, 'again'] as [string, string]] : []));
        description += ` ${parameter.name}=${bad.slice(0, 40)}`;
      }
      if (poison === 'query-nul') {
        const name = queryParameters.length && pick(2) ? queryParameters[pick(queryParameters.length)]!.name : 'q';
        entries.push([name, ['%00', 'a%00b', `${encode(text.slice(0, 50))}%00`][pick(3)]!]);
        description += ` ${name}`;
      }
      const url = `${ctx.base}${path}${encodeQuery(entries)}`;

      if ((MULTIPART_POISONS as readonly string[]).includes(poison) || (operation.body?.kind === 'multipart' && (REQUEST_POISONS as readonly string[]).includes(poison))) {
        const boundary = `fuzz${picks[0]}`;
        const file = { name: 'file', filename: 'panorama.jpg', type: 'image/jpeg', data: ctx.image } as Parameters<typeof multipart>[0][number];
        const parts = [{ name: 'kind', data: kinds[pick(kinds.length)]! }, file];
        let contentType = `multipart/form-data; boundary=${boundary}`;
        let data: Buffer;
        switch (poison) {
          case 'filename-nul': {
            const spelled = ["utf-8''a%00b.jpg", "utf-8''%00", "utf-8''%ED%A0%80%00.jpg", "UTF-8''x%00.jpg"][pick(4)]!;
            file.filenameStar = spelled;
            description += ` filename*=${spelled}`;
            data = multipart(parts, boundary);
            break;
          }
          case 'field-value':
            parts[0] = { name: pick(2) ? 'kind' : '__proto__', data: [text, '%00', 'pano\u0000rama', 'video'][pick(4)]! };
            data = multipart(parts, boundary);
            description += ` ${parts[0].name}=${JSON.stringify(parts[0].data).slice(0, 40)}`;
            break;
          case 'no-boundary':
            contentType = ['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary="unclosed'][pick(3)]!;
            data = multipart(parts, boundary);
            break;
          case 'broken-multipart':
            data = multipart(parts, boundary).subarray(0, 40 + pick(200));
            break;
          case 'two-files':
            data = multipart([...parts, { ...file, name: pick(2) ? 'file' : 'other' }], boundary);
            break;
          case 'no-file':
            data = multipart([parts[0]!], boundary);
            break;
          default:
            data = multipart(parts, boundary);
        }
        return { method: operation.method, path: url, headers: { ...headers, 'Content-Type': contentType }, body: data, poison: description };
      }

      let bodyText = serialize(body);
      let contentType = ['application/json', 'application/json; charset=utf-8', 'Application/JSON'][pick(3)]!;
      const schema = operation.body?.kind === 'json' ? operation.body.schema : undefined;
      if ((VALUE_POISONS as readonly string[]).includes(poison)) {
        // A poison with no place in this body (no number field for a huge number) is a NUL instead.
        let applied = poison as ValuePoison;
        let poisoned = poisonValue(ctx.doc, body, schema, applied, pick);
        if (!poisoned) {
          applied = 'nul';
          poisoned = poisonValue(ctx.doc, body, schema, applied, pick)!;
        }
        bodyText = serialize(poisoned.value);
        description = `${applied} at ${poisoned.where}`;
      } else if (poison === 'invalid-json') {
        bodyText = [bodyText.slice(0, Math.max(1, bodyText.length - 1 - pick(5))), `${bodyText},`, `{"a":"\u0000"}`, "{'a':1}", '{"a":1}{"b":2}', '\ufeff{', 'NaN', '{"a":undefined}'][pick(8)]!;
      } else if (poison === 'scalar-body') {
        bodyText = ['1', '"fuzz"', 'null', 'true', '1e400', ...(schema ? ['[]', '[{}]'] : [])][pick(schema ? 7 : 5)]!;
      } else if (poison === 'unsupported-charset') {
        contentType = ['application/json; charset=bogus', 'application/json; charset=latin1', 'application/json; charset=iso-8859-1'][pick(3)]!;
      } else if (poison === 'bad-content-encoding') {
        headers['Content-Encoding'] = ['gzip', 'deflate', 'br', 'x-fuzz', 'gzip, gzip'][pick(5)]!;
      }
      const sendsBody = operation.body !== undefined || (BODY_POISONS as readonly string[]).includes(poison);
      return {
        method: operation.method,
        path: url,
        headers: sendsBody ? { ...headers, 'Content-Type': contentType } : headers,
        body: sendsBody ? bodyText : undefined,
        poison: description,
      };
    });
}
