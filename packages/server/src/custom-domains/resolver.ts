import { promises as dns } from 'node:dns';

/**
 * What a look-up found. `missing` is an authoritative answer (the name or the
 * record type does not exist); `unreachable` means no answer at all, so
 * nothing can be concluded and the check is retried.
 */
export type Lookup<T> =
  | { kind: 'found'; records: T[] }
  | { kind: 'missing' }
  | { kind: 'unreachable'; reason: string };

export interface DnsLookups {
  txt(name: string): Promise<Lookup<string>>;
  cname(name: string): Promise<Lookup<string>>;
  addresses(name: string): Promise<Lookup<string>>;
}

export interface ResolverOptions {
  /** Unset: the system's servers. */
  servers: string[] | undefined;
  timeoutMs: number;
  tries?: number;
}

const MISSING = new Set(['ENOTFOUND', 'ENODATA']);

function describeFailure(code: string | undefined): string {
  switch (code) {
    case 'ETIMEOUT':
      return 'DNS timeout: no server answered';
    case 'ECONNREFUSED':
      return 'DNS server refused the connection';
    case 'ESERVFAIL':
      return 'DNS server failure (SERVFAIL)';
    case 'EREFUSED':
      return 'DNS query refused';
    default:
      return `DNS error ${code ?? 'unknown'}`;
  }
}

async function lookup<T>(query: () => Promise<T[]>): Promise<Lookup<T>> {
  try {
    const records = await query();
    return records.length ? { kind: 'found', records } : { kind: 'missing' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && MISSING.has(code)) return { kind: 'missing' };
    return { kind: 'unreachable', reason: describeFailure(code) };
  }
}

const canonical = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** Look-ups through a resolver of our own, so tests and operators choose the servers (DNS_SERVERS). */
export function createDnsLookups({ servers, timeoutMs, tries = 2 }: ResolverOptions): DnsLookups {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries });
  if (servers) resolver.setServers(servers);
  return {
    // A TXT record arrives as character strings of at most 255 bytes each; its value is their concatenation.
    txt: (name) => lookup(async () => (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))),
    cname: (name) => lookup(async () => (await resolver.resolveCname(name)).map(canonical)),
    addresses: async (name) => {
      const [v4, v6] = await Promise.all([lookup(() => resolver.resolve4(name)), lookup(() => resolver.resolve6(name))]);
      if (v4.kind === 'unreachable') return v4;
      if (v6.kind === 'unreachable') return v6;
      const records = [...(v4.kind === 'found' ? v4.records : []), ...(v6.kind === 'found' ? v6.records : [])];
      return records.length ? { kind: 'found', records } : { kind: 'missing' };
    },
  };
}
