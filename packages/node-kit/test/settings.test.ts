import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, httpEnvironment, parseEnvironment, readHttpSettings } from '../src/index.js';

const schema = z.object(httpEnvironment({ port: 8080, host: '127.0.0.1', requestTimeoutMs: 60_000 }));
const settings = (env: NodeJS.ProcessEnv) => readHttpSettings(parseEnvironment(schema, env));

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    settings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('the HTTP settings of a process', () => {
  it('trusts loopback proxies, lets nobody read /metrics, and bounds every wait, by default', () => {
    const { trustProxy, metrics, timeouts } = settings({});
    expect([trustProxy('127.0.0.1', 0), trustProxy('::1', 0), trustProxy('10.0.0.1', 0)]).toEqual([true, true, false]);
    expect(metrics.token).toBeUndefined();
    expect(metrics.addresses('127.0.0.1', 0)).toBe(false);
    expect(timeouts).toEqual({ headersMs: 10_000, requestMs: 60_000, idleMs: 15_000, keepAliveMs: 5_000 });
  });

  it('reads trusted proxies and metrics addresses as addresses and CIDRs', () => {
    const { trustProxy, metrics } = settings({ TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32', METRICS_ALLOW: '192.0.2.7', METRICS_TOKEN: 'x'.repeat(16) });
    expect([trustProxy('10.9.8.7', 0), trustProxy('2001:db8::1', 0), trustProxy('127.0.0.1', 0)]).toEqual([true, true, false]);
    expect([metrics.addresses('192.0.2.7', 0), metrics.addresses('192.0.2.8', 0)]).toEqual([true, false]);
    expect(metrics.token).toBe('x'.repeat(16));
    expect(settings({ TRUST_PROXY: 'none' }).trustProxy('127.0.0.1', 0)).toBe(false);
  });

  it('names each bad variable', () => {
    const bad: [string, string, RegExp][] = [
      ['TRUST_PROXY', '10.0.0.0/33', /^TRUST_PROXY="10.0.0.0\/33": must be comma-separated IPv4\/IPv6 addresses or CIDRs/],
      ['METRICS_TOKEN', 'short', /^METRICS_TOKEN="short": must be at least 16 characters$/],
      ['METRICS_ALLOW', 'the office', /^METRICS_ALLOW="the office": must be comma-separated/],
      ['HTTP_IDLE_TIMEOUT_MS', '0', /^HTTP_IDLE_TIMEOUT_MS="0": must be at least 100$/],
    ];
    const problems = problemsOf(Object.fromEntries(bad.map(([name, value]) => [name, value])));
    expect(problems).toEqual(bad.map(([, , message]) => expect.stringMatching(message)));
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '90000' })).toEqual(['HTTP_HEADERS_TIMEOUT_MS="90000": must not exceed HTTP_REQUEST_TIMEOUT_MS (60000)']);
  });
});
