import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { expect } from 'vitest';
import type { Sql } from '@vr-tour/db';
import { loadConfig } from '../../../src/config.js';
import { startTestApp, type RunningApp } from '../../support/app.js';
import type { TestCaller } from '../../support/auth.js';
import type { TestDnsServer } from './dns-server.js';

export const EDGE_HOST = 'edge.vr-tour.test';
export const PLATFORM_URL = 'https://app.vr-tour.test';

/** The environment of a platform at app.vr-tour.test whose edge is edge.vr-tour.test, resolving through `dnsServer`. */
export function domainEnvironment(dnsServer: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    PUBLIC_URL: PLATFORM_URL,
    EDGE_HOST,
    DNS_SERVERS: dnsServer,
    // Short: the silent server's timeouts are waited out in full.
    DNS_TIMEOUT_MS: '250',
    // Tests change records and check again at once; the cooldown has a test of its own.
    DOMAIN_VERIFY_COOLDOWN_MS: '0',
    ...extra,
  };
}

export function startDomainApp(sql: Sql, dnsServer: string, extra: Record<string, string> = {}): Promise<RunningApp> {
  return startTestApp(sql, { config: loadConfig(domainEnvironment(dnsServer, extra)) });
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a GET with node's http or https `request` and reads the whole answer as text. */
export function readAnswer(send: typeof httpRequest | typeof httpsRequest, options: RequestOptions): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = send(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A GET with a Host header of our choosing (fetch does not let a caller set Host). */
export function getWithHost(appUrl: string, host: string, path = '/'): Promise<PlainResponse> {
  const { hostname, port } = new URL(appUrl);
  return readAnswer(httpRequest, { hostname, port, path, headers: { Host: host } });
}

export interface DomainJson {
  id: string;
  host: string;
  path: string;
  tourId: string;
  verificationStatus: string;
  verificationReason: string | null;
  sslStatus: string;
  sslReason: string | null;
  sslCheckedAt: string | null;
  dnsRecords: { type: string; name: string; value: string }[];
}

/** `caller`'s JSON calls to /api/v1/custom-domains. */
export function domainApi(appUrl: string, caller: TestCaller | null) {
  return (method: string, path = '', body?: unknown) =>
    fetch(`${appUrl}/api/v1/custom-domains${path}`, {
      method,
      headers: { ...(caller?.authHeader ?? {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** Puts `records` in the test zone, as a creator would at their DNS provider (a TXT value replaces the name's others). */
export function publishRecords(dns: TestDnsServer, records: DomainJson['dnsRecords']): void {
  for (const record of records) {
    const entry = dns.zone.get(record.name) ?? {};
    dns.zone.set(record.name, record.type === 'TXT' ? { ...entry, TXT: [record.value] } : { ...entry, CNAME: record.value });
  }
}

/** Creates a domain through the API; with `verified`, publishes the records it asks for in `dns` and verifies it. */
export async function addDomain(
  appUrl: string,
  caller: TestCaller,
  domain: { host: string; tourId: string; path?: string },
  { verified, dns }: { verified: boolean; dns: TestDnsServer },
): Promise<DomainJson> {
  const api = domainApi(appUrl, caller);
  const created = await api('POST', '', domain);
  expect(created.status, await created.clone().text()).toBe(201);
  const body = (await created.json()) as DomainJson;
  if (!verified) return body;
  publishRecords(dns, body.dnsRecords);
  const checked = (await (await api('POST', `/${body.id}/verify`)).json()) as DomainJson;
  expect(checked.verificationStatus, checked.verificationReason ?? '').toBe('verified');
  return checked;
}
