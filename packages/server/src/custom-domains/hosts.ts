import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';

/** The name holding a host's ownership token, as Vercel's `_vercel` and Cloudflare's `_cf-custom-hostname`. */
export const CHALLENGE_LABEL = '_vr-tour-challenge';

export const challengeName = (host: string) => `${CHALLENGE_LABEL}.${host}`;

// Mirrors the CHECK on custom_domains.host, so a bad spelling is a 400 with a reason, not a constraint error.
const HOST_PATTERN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

export class HostError extends Error {}

/** What a URL may hold around a host but a host may not: scheme, credentials, port, path, query, fragment, escapes, spaces. */
const URL_SYNTAX = /[\s/\\?#@:%[\]]/;

/** Lowercase, without a trailing dot (IDNA's full stops `。．｡` included) or brackets: how hosts are compared everywhere. */
export function canonicalHost(input: string): string {
  return input.trim().toLowerCase().replace(/[.\u3002\uff0e\uff61]$/, '').replace(/^\[(.*)\]$/, '$1');
}

/**
 * The stored spelling of a host a creator typed: lowercase, no trailing dot,
 * IDN as punycode (`bücher.example` → `xn--bcher-kva.example`). Throws a
 * HostError saying why for IP literals, public suffixes and malformed names.
 */
export function normalizeHost(input: string): string {
  const raw = canonicalHost(input);
  if (isIP(raw)) throw new HostError('an IP address cannot be a custom domain; use a host name');
  // domainToASCII parses a URL host: it would keep `evil.example` of `evil.example/tours.acme.com`
  // and drop a port, query or path silently, or percent-decode. None of these belongs in a host.
  const urlPart = URL_SYNTAX.exec(raw);
  if (urlPart) {
    throw new HostError(
      urlPart[0] === '/'
        ? 'is a host name only, without a path: give the path in `path`'
        : `is a host name only: ${JSON.stringify(urlPart[0])} (a scheme, port, path, query or escape) cannot be in one`,
    );
  }
  // domainToASCII applies IDNA (and lowercases, and maps `。` to `.`); it answers '' for names that cannot be one.
  const host = domainToASCII(raw);
  if (!host) throw new HostError('is not a valid host name');
  // The WHATWG parser reads `0x7f.1` or `2130706433` as IPv4 and rewrites them as such.
  if (isIP(host)) throw new HostError('an IP address cannot be a custom domain; use a host name');
  if (host.length < 4 || host.length > 253 || !HOST_PATTERN.test(host)) {
    throw new HostError('is not a valid host name (letters, digits and hyphens in dot-separated labels)');
  }
  // Private suffixes count too: `github.io` is no more one owner's than `co.uk`.
  const parsed = parseDomain(host, { allowPrivateDomains: true });
  if (parsed.domain === null || parsed.publicSuffix === host) {
    throw new HostError(`${host} is a public suffix; use a name under it, such as tours.example.${host}`);
  }
  return host;
}

/** Whether `host` is one of the platform's names or under one. */
export function isPlatformHost(host: string, platformHosts: readonly string[]): boolean {
  return isIP(host) !== 0 || platformHosts.some((own) => host === own || host.endsWith(`.${own}`));
}
