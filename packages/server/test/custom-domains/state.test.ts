import { describe, expect, it } from 'vitest';
import { HostError, normalizeHost } from '../../src/custom-domains/hosts.js';
import { loadConfig } from '../../src/config.js';
import { nextSslState, SSL_MAX_ATTEMPTS } from '../../src/custom-domains/tls-check.js';
import {
  GIVE_UP_AFTER_MS,
  nextVerificationState,
  retryDelay,
  REVERIFY_AFTER_MS,
  type CheckResult,
} from '../../src/custom-domains/verifier.js';

const MINUTE = 60_000;

describe('normalizeHost', () => {
  it.each([
    ['Tours.ACME.com.', 'tours.acme.com'],
    [' www.Example.ORG ', 'www.example.org'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['MÜNCHEN.de', 'xn--mnchen-3ya.de'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['foo.co.uk', 'foo.co.uk'],
    ['tours.acme.com\u3002', 'tours.acme.com'],
    ['\uff34\uff2f\uff35\uff32\uff33.acme.com', 'tours.acme.com'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHost(input)).toBe(expected);
  });

  it.each(['127.0.0.1', '::1', '[::1]', '2130706433', '0x7f.0.0.1', 'co.uk', 'uk', 'blogspot.com', '-bad.example', 'a..b.com', 'a.com..', ''])(
    'refuses %j',
    (input) => {
      expect(() => normalizeHost(input)).toThrow(HostError);
    },
  );

  // A URL parser would read each of these as some host, not always the one meant.
  it.each([
    ['evil.example/tours.acme.com', /without a path/],
    ['tours.acme.com/listing-42', /without a path/],
    ['https://tours.acme.com', /":"/],
    ['tours.acme.com:8443', /":"/],
    ['tours.acme.com?x=1', /"\?"/],
    ['tours.acme.com#top', /"#"/],
    ['me@tours.acme.com', /"@"/],
    ['tours%2eacme.com', /"%"/],
    ['tours.acme.com\\x', /"\\\\"/],
  ])('refuses the URL-ish %j, saying why', (input, reason) => {
    expect(() => normalizeHost(input)).toThrow(reason);
  });
});

describe('the re-check schedule', () => {
  it('is fast at first, then hourly, and gives up after about seven days', () => {
    expect(retryDelay(1)).toBe(MINUTE);
    expect(retryDelay(2)).toBe(2 * MINUTE);
    expect(retryDelay(7)).toBe(60 * MINUTE);
    let failures = 1;
    let elapsed = 0;
    for (let delay = retryDelay(failures); delay !== null; delay = retryDelay(++failures)) {
      expect(delay).toBeLessThanOrEqual(60 * MINUTE);
      elapsed += delay;
    }
    expect(elapsed).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    expect(elapsed).toBeGreaterThan(GIVE_UP_AFTER_MS - 60 * MINUTE);
    expect(failures).toBeGreaterThan(75);
  });
});

describe('nextVerificationState', () => {
  const ok: CheckResult = { ok: true };
  const wrong: CheckResult = { ok: false, retryable: false, reason: 'TXT record x has the wrong value' };
  const timeout: CheckResult = { ok: false, retryable: true, reason: 'DNS timeout: no server answered' };

  it('verifies, asks for a certificate and schedules the daily re-check', () => {
    expect(nextVerificationState({ verificationStatus: 'pending', checkAttempts: 4, sslStatus: 'none' }, ok)).toEqual({
      verificationStatus: 'verified',
      reason: null,
      checkAttempts: 0,
      nextCheckInMs: REVERIFY_AFTER_MS,
      verifiedNow: true,
      sslStatus: 'pending',
      resetSsl: true,
    });
    const again = nextVerificationState({ verificationStatus: 'verified', checkAttempts: 0, sslStatus: 'active' }, ok);
    expect(again).toMatchObject({ verifiedNow: false, sslStatus: 'active', resetSsl: false });
    const retried = nextVerificationState({ verificationStatus: 'verified', checkAttempts: 0, sslStatus: 'failed' }, ok);
    expect(retried).toMatchObject({ sslStatus: 'pending', resetSsl: true });
  });

  it('fails a verified domain at once when its records stop matching, and retries it', () => {
    const lost = nextVerificationState({ verificationStatus: 'verified', checkAttempts: 3, sslStatus: 'active' }, wrong);
    expect(lost).toMatchObject({ verificationStatus: 'failed', checkAttempts: 1, nextCheckInMs: MINUTE, sslStatus: 'none', resetSsl: true });
    expect(lost.reason).toBe('no longer verified, not served: TXT record x has the wrong value');
  });

  it('keeps serving a verified domain through timeouts, until the schedule gives up', () => {
    const state = { verificationStatus: 'verified', checkAttempts: 2, sslStatus: 'active' } as const;
    expect(nextVerificationState(state, timeout)).toMatchObject({ verificationStatus: 'verified', checkAttempts: 3, sslStatus: 'active' });
    const gaveUp = nextVerificationState({ ...state, checkAttempts: 10_000 }, timeout);
    expect(gaveUp).toMatchObject({ verificationStatus: 'failed', nextCheckInMs: null, sslStatus: 'none' });
  });

  it('restarts the schedule when a creator asks for a check', () => {
    const state = { verificationStatus: 'pending', checkAttempts: 50, sslStatus: 'none' } as const;
    expect(nextVerificationState(state, wrong).checkAttempts).toBe(51);
    expect(nextVerificationState(state, wrong, true)).toMatchObject({ checkAttempts: 1, nextCheckInMs: MINUTE, verificationStatus: 'pending' });
  });
});

describe('nextSslState', () => {
  it('is active on a good handshake, pending on a bad one, failed after repeated ones', () => {
    expect(nextSslState(5, { ok: true })).toEqual({ sslStatus: 'active', reason: null, attempts: 0 });
    expect(nextSslState(0, { ok: false, reason: 'x' })).toEqual({ sslStatus: 'pending', reason: 'x', attempts: 1 });
    const failed = nextSslState(SSL_MAX_ATTEMPTS - 1, { ok: false, reason: 'x' });
    expect(failed).toMatchObject({ sslStatus: 'failed', attempts: SSL_MAX_ATTEMPTS });
    expect(failed.reason).toMatch(/^gave up after 10 attempts: x$/);
  });
});

describe('custom domain settings', () => {
  it('derive the edge and the platform hosts from PUBLIC_URL, and read DNS_SERVERS', () => {
    const { customDomains } = loadConfig({ PUBLIC_URL: 'https://Tours.Example.com/', DNS_SERVERS: '127.0.0.1:5353, [::1]:53' });
    expect(customDomains).toMatchObject({
      dnsServers: ['127.0.0.1:5353', '[::1]:53'],
      dnsTimeoutMs: 3000,
      edgeHost: 'tours.example.com',
      edgeAddress: { host: 'tours.example.com', port: 443 },
      knowsOwnHosts: true,
    });
    const edge = loadConfig({ EDGE_HOST: 'edge.example.net', EDGE_ADDRESS: '127.0.0.1:8443', PLATFORM_HOSTS: 'a.example, B.example.' }).customDomains;
    expect(edge.edgeAddress).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(edge.platformHosts).toEqual(['localhost', 'edge.example.net', 'a.example', 'b.example']);
    expect(loadConfig({}).customDomains.knowsOwnHosts).toBe(false);
  });

  it('refuses malformed DNS servers and edge addresses', () => {
    expect(() => loadConfig({ DNS_SERVERS: 'dns.example.com' })).toThrow(/DNS_SERVERS/);
    expect(() => loadConfig({ EDGE_ADDRESS: '127.0.0.1' })).toThrow(/EDGE_ADDRESS/);
  });
});
