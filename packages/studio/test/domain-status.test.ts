import { describe, expect, it } from 'vitest';
import type { CustomDomain } from '../src/api/types.js';
import { changeOf, certificateLabel, domainUrl, isSettling, verificationLabel } from '../src/domains/domain-status.js';
import { duration } from '../src/ui/format.js';

// When the domains page keeps reading a domain, and how it says what changed.
const domain = (changes: Partial<CustomDomain>): CustomDomain => ({
  id: '0190b0a0-0000-7000-8000-000000000001',
  host: 'tours.acme.test',
  path: '/',
  tourId: '0190b0a0-0000-7000-8000-000000000002',
  verificationStatus: 'pending',
  verificationReason: null,
  verifiedAt: null,
  lastCheckedAt: null,
  nextCheckAt: null,
  checkAttempts: 0,
  sslStatus: 'none',
  sslReason: null,
  sslCheckedAt: null,
  dnsRecords: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...changes,
});

describe('a custom domain’s status', () => {
  it('is followed while its DNS or its certificate may still change by itself, and not once settled', () => {
    expect(isSettling(domain({ verificationStatus: 'pending' }))).toBe(true);
    expect(isSettling(domain({ verificationStatus: 'verified', sslStatus: 'pending' }))).toBe(true);
    expect(isSettling(domain({ verificationStatus: 'verified', sslStatus: 'none' }))).toBe(true);
    expect(isSettling(domain({ verificationStatus: 'verified', sslStatus: 'active' }))).toBe(false);
    expect(isSettling(domain({ verificationStatus: 'verified', sslStatus: 'failed' }))).toBe(false);
    // A failed verification gets no more background checks: only "check now" moves it.
    expect(isSettling(domain({ verificationStatus: 'failed' }))).toBe(false);
  });

  it('says each state in words, and what changed between two reads', () => {
    expect(verificationLabel(domain({ verificationStatus: 'verified' }))).toEqual({ text: 'DNS verified', tone: 'ready' });
    expect(certificateLabel(domain({ sslStatus: 'pending' }))).toEqual({ text: 'Certificate being issued', tone: 'pending' });
    const pending = domain({});
    const verified = domain({ verificationStatus: 'verified', sslStatus: 'pending' });
    expect(changeOf(pending, verified)).toBe('tours.acme.test: DNS verified.');
    expect(changeOf(verified, { ...verified, sslStatus: 'active' })).toBe('tours.acme.test: Certificate active.');
    expect(changeOf(verified, { ...verified, lastCheckedAt: '2026-01-01T00:01:00.000Z' })).toBeNull();
    expect(domainUrl(domain({ path: '/listing-42' }))).toBe('https://tours.acme.test/listing-42');
    expect([duration(45), duration(545), duration(600)]).toEqual(['45 s', '9 min 5 s', '10 min']);
  });
});
