import { request } from 'node:http';
import type { Sql } from '@vr-tour/db';
import { loadConfig } from '../../../src/config.js';
import { startTestApp, type RunningApp } from '../../../src/test-support/app.js';

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

/** A GET with a Host header of our choosing (fetch does not let a caller set Host). */
export function getWithHost(appUrl: string, host: string, path = '/'): Promise<PlainResponse> {
  const { hostname, port } = new URL(appUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
