import { describe, expect, it } from 'vitest';
import express from 'express';
import { HttpProblem, notFoundHandler, problemHandler, problemOf, sendProblem } from '../src/index.js';
import { serve } from './support.js';

describe('problem+json', () => {
  it('is answered from a plain Node handler, with extra headers, all written at once', async () => {
    const running = await serve((req, res) => {
      sendProblem(res, problemOf(429, 'slow down', { instance: req.url }), ['Retry-After', '3']);
    });
    const res = await fetch(`${running.url}/collect?x=1`);
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toEqual({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'slow down', instance: '/collect?x=1' });
  });

  it('answers every error of an Express app: thrown problems, body-parser errors, bugs (logged, no internals), unknown routes', async () => {
    const logged: unknown[] = [];
    const app = express();
    app.use((_req, res, next) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      next();
    });
    app.get('/gone', () => {
      throw new HttpProblem(410, 'Gone', 'it was deleted', { id: 7 });
    });
    app.post('/json', express.json(), (_req, res) => void res.json({}));
    app.get('/bug', () => {
      throw new Error('secret internals');
    });
    app.use(notFoundHandler);
    app.use(problemHandler({ error: (obj) => logged.push(obj) }));
    const running = await serve(app);

    const gone = await fetch(`${running.url}/gone`);
    expect(gone.status).toBe(410);
    // Headers set before the error are kept.
    expect(gone.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await gone.json()).toEqual({ type: 'about:blank', title: 'Gone', status: 410, detail: 'it was deleted', instance: '/gone', id: 7 });

    const json = await fetch(`${running.url}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ title: 'Bad Request', detail: 'the body is not valid JSON' });

    const bug = await fetch(`${running.url}/bug`);
    expect(bug.status).toBe(500);
    const text = await bug.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toMatchObject({ title: 'Internal Server Error', detail: expect.stringContaining('logged') });
    expect(logged).toHaveLength(1);

    const missing = await fetch(`${running.url}/nowhere?q=1`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await missing.json()).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no route for DELETE /nowhere', instance: '/nowhere?q=1' });
  });
});
