import type { CustomDomain } from '../api/types.js';

/** What each state of a custom domain means to its owner; pure, so the rules are tested without a browser. */

export type Tone = 'ready' | 'pending' | 'failed' | 'none';

export function verificationLabel(domain: CustomDomain): { text: string; tone: Tone } {
  switch (domain.verificationStatus) {
    case 'verified':
      return { text: 'DNS verified', tone: 'ready' };
    case 'failed':
      return { text: 'Verification failed', tone: 'failed' };
    case 'pending':
      return { text: 'Waiting for the DNS records', tone: 'pending' };
  }
}

export function certificateLabel(domain: CustomDomain): { text: string; tone: Tone } {
  switch (domain.sslStatus) {
    case 'active':
      return { text: 'Certificate active', tone: 'ready' };
    case 'failed':
      return { text: 'Certificate failed', tone: 'failed' };
    case 'pending':
      return { text: 'Certificate being issued', tone: 'pending' };
    case 'none':
      return { text: 'Certificate after verification', tone: 'none' };
  }
}

/**
 * Whether the domain may still change by itself (background DNS checks, the
 * certificate being issued): the page keeps reading it until it settles —
 * served over HTTPS, or failed.
 */
export function isSettling(domain: CustomDomain): boolean {
  if (domain.verificationStatus === 'pending') return true;
  return domain.verificationStatus === 'verified' && (domain.sslStatus === 'pending' || domain.sslStatus === 'none');
}

/** The address visitors use once the domain is live. */
export function domainUrl(domain: CustomDomain): string {
  return `https://${domain.host}${domain.path === '/' ? '/' : domain.path}`;
}

/** One sentence on what changed between two reads of a domain, or null. */
export function changeOf(before: CustomDomain, after: CustomDomain): string | null {
  if (before.verificationStatus !== after.verificationStatus) {
    return `${after.host}: ${verificationLabel(after).text}.`;
  }
  if (before.sslStatus !== after.sslStatus) return `${after.host}: ${certificateLabel(after).text}.`;
  return null;
}
