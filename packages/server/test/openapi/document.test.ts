import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { loadConfig } from '../../src/config.js';
import { editorApi } from '../../src/editor-api.js';
import { startTestApp, type RunningApp } from '../../src/test-support/app.js';

let db: TestDatabase;
let app: RunningApp;
beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestApp(db.sql);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every method + path the editor router really serves, from Express's own route table. */
function servedRoutes(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      return paths.flatMap((path) =>
        Object.keys(layer.route!.methods).map((method) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`),
      );
    }
    return layer.handle.stack ? servedRoutes(layer.handle.stack) : [];
  });
}

describe('OpenAPI', () => {
  it('documents exactly the routes the editor API serves, as OpenAPI 3.1 with resolvable references', async () => {
    const response = await fetch(`${app.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as any;
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((method) => `${method} ${path}`));
    const router = editorApi({ sql: db.sql, config: loadConfig({}), mediaDir: '/nonexistent' });
    expect(documented.sort()).toEqual(servedRoutes((router as unknown as { stack: Layer[] }).stack).sort());

    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      expect(document.components.schemas[name!], name).toBeDefined();
    }
    const hotspotCreate = document.components.schemas.HotspotCreate;
    expect(hotspotCreate.oneOf.map((variant: any) => variant.properties.type.const).sort()).toEqual(['audio', 'custom', 'info', 'link', 'navigation', 'video']);
    expect(document.components.schemas.TourCreate.required).toEqual(['title']);
    const list = document.paths['/tours'].get;
    expect(list.parameters.map((parameter: any) => parameter.name)).toEqual(['cursor', 'limit', 'status']);
    expect(document.paths['/auth/login'].post.security).toEqual([]);
  });

  it('serves a self-contained reference page', async () => {
    const response = await fetch(`${app.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
    for (const fragment of ['/api/v1/tours/{id}/publish', '/api/v1/media', 'id="schema-Tour"', 'targetSceneId']) {
      expect(html).toContain(fragment);
    }
  });
});
