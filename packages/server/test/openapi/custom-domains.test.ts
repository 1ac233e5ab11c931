import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { customDomainListSchema, customDomainSchema, verifiedDomainSchema } from '../../src/custom-domains/schemas.js';
import type { RunningApp } from '../support/app.js';
import { createUserWithToken, type TestCaller } from '../support/auth.js';
import { insertTour } from '../support/fixtures.js';
import { startDnsServer, type TestDnsServer } from '../custom-domains/support/dns-server.js';
import { domainApi, publishRecords, startDomainApp } from '../custom-domains/support/domain-app.js';

let db: TestDatabase;
let dns: TestDnsServer;
let app: RunningApp;
let alice: TestCaller;
let tourId: string;
let document: any;
beforeAll(async () => {
  db = await createTestDatabase();
  dns = await startDnsServer();
  app = await startDomainApp(db.sql, dns.address);
  alice = await createUserWithToken(db.sql);
  tourId = (await insertTour(db.sql, alice.userId)).tourId;
  document = await (await fetch(`${app.url}/api/v1/openapi.json`)).json();
});
afterAll(async () => {
  await app?.close();
  await dns?.close();
  await db?.drop();
});

/**
 * A real answer against its documented schema: the zod schema the document is
 * generated from accepts it, and it has exactly the component's fields (zod
 * alone would let an undocumented extra field through).
 */
async function documentedAnswer<T extends z.ZodObject>(response: Response, status: number, schema: T, component: string) {
  expect(response.status, await response.clone().text()).toBe(status);
  const operationAnswer = (await response.json()) as Record<string, unknown>;
  const parsed = schema.parse(operationAnswer);
  const { properties, required } = document.components.schemas[component];
  expect(Object.keys(operationAnswer).sort()).toEqual(Object.keys(properties).sort());
  expect([...required].sort()).toEqual(Object.keys(properties).sort());
  return parsed as z.infer<T>;
}

describe('custom-domain answers match the OpenAPI document', () => {
  it('create, list, read, verify (failed and passed), tls-ask and delete', async () => {
    const api = domainApi(app.url, alice);
    const created = await documentedAnswer(await api('POST', '', { host: 'docs.example.com', tourId }), 201, customDomainSchema, 'CustomDomain');
    expect(created).toMatchObject({ host: 'docs.example.com', path: '/', verificationStatus: 'pending', sslStatus: 'none' });

    const list = await documentedAnswer(await api('GET'), 200, customDomainListSchema, 'CustomDomainList');
    expect(list.items.map((item) => item.id)).toEqual([created.id]);
    expect(await documentedAnswer(await api('GET', `/${created.id}`), 200, customDomainSchema, 'CustomDomain')).toEqual(created);

    const failed = await documentedAnswer(await api('POST', `/${created.id}/verify`), 200, verifiedDomainSchema, 'VerifiedCustomDomain');
    expect(failed.check).toEqual({ ok: false, retryable: false, reason: expect.stringContaining('TXT record') });

    publishRecords(dns, created.dnsRecords);
    const verified = await documentedAnswer(await api('POST', `/${created.id}/verify`), 200, verifiedDomainSchema, 'VerifiedCustomDomain');
    expect(verified).toMatchObject({ verificationStatus: 'verified', check: { ok: true } });

    const tlsAsk = document.paths['/custom-domains/tls-ask'].get;
    const asked = await fetch(`${app.url}/api/v1/custom-domains/tls-ask?domain=docs.example.com`);
    expect(asked.status).toBe(200);
    expect(asked.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Object.keys(tlsAsk.responses['200'].content)).toEqual(['text/plain']);
    expect(await asked.text()).toBe('ok');

    expect((await api('DELETE', `/${created.id}`)).status).toBe(204);
    expect(document.paths['/custom-domains/{id}'].delete.responses['204'].content).toBeUndefined();
    const gone = await fetch(`${app.url}/api/v1/custom-domains/tls-ask?domain=docs.example.com`);
    expect(gone.status).toBe(404);
    expect(tlsAsk.responses['404'].content['application/problem+json']).toBeDefined();
  });
});
