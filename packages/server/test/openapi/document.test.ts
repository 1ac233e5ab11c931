import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '@vr-tour/protocol';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createUserWithToken } from '../support/auth.js';

let db: TestDatabase;
let app: RunningApp;
let document: any;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db.sql);
  const response = await fetch(`${app.url}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

interface Layer {
  /** The path a layer was mounted or routed at, as router@2 keeps it. */
  rawPath: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

const joinPath = (prefix: string, path: string) => (path === '/' ? prefix : `${prefix}${path}`);

/** Every method + full path the app really serves, from Express's own route tables, mounts included. */
function servedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return paths.flatMap((path) =>
        Object.keys(layer.route!.methods).map((method) => `${method} ${joinPath(prefix, path).replace(/:(\w+)/g, '{$1}') || '/'}`),
      );
    }
    return layer.handle.stack ? mounts.flatMap((mount) => servedRoutes(layer.handle.stack!, joinPath(prefix, mount))) : [];
  });
}

/** Each operation with the prefix its server gives it: /api/v1, or nothing for the few at the site's root. */
const documentedOperations = () =>
  Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method,
      path,
      operation,
      base: ((operation.servers ?? document.servers)[0].url as string).replace(/\/$/, ''),
    })),
  );

/** A session cookie, as a browser holds it after signing up. */
async function sessionCookie(): Promise<string> {
  const response = await fetch(`${app.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `doc-${randomUUID()}@example.com`, password: 'correct horse battery' }),
  });
  expect(response.status).toBe(202);
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}

const call = (method: string, path: string, headers: Record<string, string> = {}, base = '/api/v1') =>
  fetch(`${app.url}${base}${path.replace(/\{\w+\}/g, () => randomUUID())}`, { method: method.toUpperCase(), headers });

describe('OpenAPI', () => {
  it('documents exactly the routes the app serves under /api/v1, as OpenAPI 3.1 with resolvable references', () => {
    expect(document.openapi).toBe('3.1.0');
    // Every optional part mounted, so a router added behind a dependency is listed too.
    const everything = createApp({
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      sql: db.sql,
      logger: createLogger('silent'),
      health: { draining: false },
      mediaDir: '/nonexistent',
      site: { viewerDir: '/nonexistent', demoDir: '/nonexistent', studioDir: '/nonexistent' },
      collector: Router(),
      metrics: () => '',
    });
    const atRoot = documentedOperations()
      .filter(({ base }) => base === '')
      .map(({ method, path }) => `${method} ${path}`);
    expect(atRoot).toEqual(['get /oembed']);
    const served = servedRoutes((everything as unknown as { router: { stack: Layer[] } }).router.stack)
      .filter((route) => route.split(' ')[1]!.startsWith('/api/v1/') || atRoot.includes(route))
      .map((route) => route.replace(' /api/v1/', ' /'));
    expect(served).toEqual(expect.arrayContaining(['get /custom-domains/tls-ask', 'post /custom-domains/{id}/verify', 'get /public/tours/{id}', 'post /media']));
    const documented = documentedOperations().map(({ method, path }) => `${method} ${path}`);
    expect(documented.sort()).toEqual(served.sort());

    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      expect(document.components.schemas[name!], name).toBeDefined();
    }
    const hotspotCreate = document.components.schemas.HotspotCreate;
    expect(hotspotCreate.oneOf.map((variant: any) => variant.properties.type.const).sort()).toEqual(['audio', 'custom', 'info', 'link', 'navigation', 'video']);
    expect(document.components.schemas.TourCreate.required).toEqual(['title']);
    expect(document.paths['/tours'].get.parameters.map((parameter: any) => parameter.name)).toEqual(['cursor', 'limit', 'status']);
    expect(document.components.schemas.CustomDomainCreate.required).toEqual(['host', 'tourId']);
    expect(document.components.schemas.VerifiedCustomDomain.properties.check.oneOf).toHaveLength(2);
    expect(document.paths['/custom-domains/tls-ask'].get.parameters).toMatchObject([{ name: 'domain', in: 'query', required: true }]);
    expect(document.paths['/public/tours/{id}'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TourDocument' });
  });

  it('answers every operation called without credentials as documented: 401 exactly where credentials are required', async () => {
    for (const { method, path, operation, base } of documentedOperations()) {
      const response = await call(method, path, {}, base);
      const label = `${method} ${path} → ${response.status}`;
      const requirements = operation.security as Record<string, string[]>[];
      const needsCredentials = requirements.length > 0 && requirements.every((requirement) => Object.keys(requirement).length > 0);
      expect(Object.keys(operation.responses), label).toContain(String(response.status));
      expect(response.status === 401, label).toBe(needsCredentials);
      if (response.status >= 400) {
        expect(response.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
        problemSchema.parse(await response.json());
      }
    }
  });

  it('refuses each cookie-authenticated write without X-CSRF-Token with the documented 403, and takes a bearer token without one', async () => {
    const cookie = await sessionCookie();
    const writes = documentedOperations().filter(({ method }) => method !== 'get');
    expect(writes.length).toBeGreaterThan(20);
    for (const { method, path, operation, base } of writes) {
      const response = await call(method, path, { Cookie: cookie }, base);
      const label = `${method} ${path}`;
      expect(response.status, label).toBe(403);
      expect(operation.responses['403'].description, label).toMatch(/X-CSRF-Token/);
      const cookieRequirement = (operation.security as Record<string, string[]>[]).find((requirement) => 'sessionCookie' in requirement);
      if (cookieRequirement) expect(Object.keys(cookieRequirement).sort(), label).toEqual(['csrfToken', 'sessionCookie']);
    }
    const reads = await call('get', '/custom-domains', { Cookie: cookie });
    expect(reads.status).toBe(200);
    // Past authentication and CSRF, to the body's validation.
    const { authHeader } = await createUserWithToken(db.sql);
    const byToken = await fetch(`${app.url}/api/v1/custom-domains`, { method: 'POST', headers: { ...authHeader, 'Content-Type': 'application/json' }, body: '{}' });
    expect(byToken.status).toBe(400);
    expect(problemSchema.parse(await byToken.json()).errors?.map((error) => error.path)).toEqual(['host', 'tourId']);
    expect(document.paths['/custom-domains'].get.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    expect(document.paths['/auth/login'].post.security).toEqual([]);
    expect(document.paths['/public/tours'].get.security).toEqual([]);
  });

  it('serves a self-contained reference page', async () => {
    const response = await fetch(`${app.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
    expect(html).toContain('<code>/oembed</code>');
    for (const fragment of ['/api/v1/tours/{id}/publish', '/api/v1/media', 'id="schema-Tour"', 'targetSceneId', '/api/v1/custom-domains/{id}/verify', 'id="schema-CustomDomain"', 'X-CSRF-Token']) {
      expect(html).toContain(fragment);
    }
  });
});
