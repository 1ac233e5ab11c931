import { z } from 'zod';
import { CUSTOM_DOMAIN_SSL_STATUSES, CUSTOM_DOMAIN_VERIFICATION_STATUSES } from '@vr-tour/protocol';
import { HostError, challengeName, normalizeHost } from './hosts.js';
import type { DomainRow } from './sql.js';
import type { CheckResult } from './verifier.js';

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

export const dnsRecordSchema = z.object({ type: z.enum(['TXT', 'CNAME']), name: z.string(), value: z.string() });
export type DnsRecord = z.infer<typeof dnsRecordSchema>;

/** What the creator must create at their DNS provider. */
export function dnsRecordsFor(host: string, token: string, edgeHost: string): DnsRecord[] {
  return [
    { type: 'TXT', name: challengeName(host), value: token },
    { type: 'CNAME', name: host, value: edgeHost },
  ];
}

const timestamp = z.iso.datetime({ offset: true });

/** A custom domain as the API answers it; `domainJson` is typed by it, so the two cannot drift apart. */
export const customDomainSchema = z.object({
  id: z.uuid(),
  host: z.string(),
  path: z.string(),
  tourId: z.uuid(),
  verificationStatus: z.enum(CUSTOM_DOMAIN_VERIFICATION_STATUSES),
  /** Why the last check failed, in words for the creator. */
  verificationReason: z.string().nullable(),
  verifiedAt: timestamp.nullable(),
  lastCheckedAt: timestamp.nullable(),
  /** Null: no further background checks. */
  nextCheckAt: timestamp.nullable(),
  checkAttempts: z.number().int().nonnegative(),
  sslStatus: z.enum(CUSTOM_DOMAIN_SSL_STATUSES),
  sslReason: z.string().nullable(),
  sslCheckedAt: timestamp.nullable(),
  /** Create both at the DNS provider: the TXT proves control of the zone, the CNAME points the host at the edge. */
  dnsRecords: z.array(dnsRecordSchema),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CustomDomain = z.infer<typeof customDomainSchema>;

export const customDomainListSchema = z.object({ items: z.array(customDomainSchema) });

/** The outcome of one DNS check of both records. */
export const domainCheckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), retryable: z.boolean(), reason: z.string() }),
]) satisfies z.ZodType<CheckResult>;

/** The answer of "check now": the domain after the check, and what the check found. */
export const verifiedDomainSchema = customDomainSchema.extend({ check: domainCheckSchema });

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function domainJson(row: DomainRow, edgeHost: string): CustomDomain {
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
