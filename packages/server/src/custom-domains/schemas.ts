import { z } from 'zod';
import { HostError, challengeName, normalizeHost } from './hosts.js';
import type { DomainRow } from './sql.js';

/** Paths the viewer page itself loads from the custom host; a tour cannot live there. */
export const PASS_THROUGH_PREFIXES = ['/vr-tour.js', '/chunks', '/media', '/collect', '/api'];

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

const pathSchema = z
  .string()
  .max(200)
  // One spelling per path: a leading slash, no trailing one (except the root).
  .transform((value) => `/${value.trim().replace(/^\/+|\/+$/g, '')}`)
  .refine((value) => /^\/[A-Za-z0-9._~/-]*$/.test(value), 'may hold only letters, digits and . _ ~ - /')
  .refine(
    (value) => value === '/' || value.slice(1).split('/').every((segment) => !['', '.', '..'].includes(segment)),
    'has an empty, . or .. segment',
  )
  .refine((value) => !PASS_THROUGH_PREFIXES.some((prefix) => isUnder(value, prefix)), `cannot be under ${PASS_THROUGH_PREFIXES.join(', ')}`);

export const createDomainSchema = z.object({
  host: z
    .string()
    .max(300)
    .transform((value, context) => {
      try {
        return normalizeHost(value);
      } catch (error) {
        if (!(error instanceof HostError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
  tourId: z.uuid({ message: 'must be a tour id (a UUID)' }),
  path: pathSchema.default('/'),
});

export const domainIdSchema = z.object({ id: z.uuid({ message: 'must be a custom domain id (a UUID)' }) });

export const tlsAskSchema = z.object({ domain: z.string().min(1).max(300) });

export interface DnsRecord {
  type: 'TXT' | 'CNAME';
  name: string;
  value: string;
}

/** What the creator must create at their DNS provider. */
export function dnsRecordsFor(host: string, token: string, edgeHost: string): DnsRecord[] {
  return [
    { type: 'TXT', name: challengeName(host), value: token },
    { type: 'CNAME', name: host, value: edgeHost },
  ];
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function domainJson(row: DomainRow, edgeHost: string) {
  return {
    id: row.id,
    host: row.host,
    path: row.path,
    tourId: row.tour_id,
    verificationStatus: row.verification_status,
    verificationReason: row.verification_reason,
    verifiedAt: iso(row.verified_at),
    lastCheckedAt: iso(row.last_checked_at),
    nextCheckAt: iso(row.next_check_at),
    checkAttempts: row.check_attempts,
    sslStatus: row.ssl_status,
    sslReason: row.ssl_reason,
    sslCheckedAt: iso(row.ssl_checked_at),
    dnsRecords: dnsRecordsFor(row.host, row.verification_token, edgeHost),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
