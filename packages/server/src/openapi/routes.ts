import { Router } from 'express';
import { buildOpenApiDocument } from './document.js';
import { renderDocsPage } from './docs-page.js';

/** /api/v1/openapi.json and its reference page /api/docs, both built once at start. */
export function openApiRoutes(): Router {
  const document = buildOpenApiDocument();
  const json = JSON.stringify(document);
  const page = renderDocsPage(document);
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' }).type('application/json').send(json);
  });
  router.get('/api/docs', (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=300', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
    res.type('html').send(page);
  });
  return router;
}
