import { Resolver } from 'node:dns';
import { z } from 'zod';
import { integerVariable, variable } from '@vr-tour/node-kit';

const hostList = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/\.$/, ''))
    .filter(Boolean);

/** The environment variables of custom domains, spread into the server's environment schema. */
export const customDomainEnvironment = {
  /** Comma-separated DNS servers (`ip`, `ip:port`, `[ipv6]:port`); unset uses the system's. */
  DNS_SERVERS: variable(
    z
      .string()
      .refine((value) => {
        try {
          // Resolver.setServers is the parser that will read the list, so it is the validator too.
          new Resolver().setServers(value.split(',').map((entry) => entry.trim()));
          return true;
        } catch {
          return false;
        }
      }, 'must be comma-separated IP addresses, each optionally with :port ([v6]:port)')
      .optional(),
  ),
  DNS_TIMEOUT_MS: integerVariable(3000, 50, 60_000),
  /** How soon after a domain's last check its owner may ask for another ("verify now"); each one is a round of DNS lookups. */
  DOMAIN_VERIFY_COOLDOWN_MS: integerVariable(10_000, 0, 3_600_000),
  /** The host creators point their CNAME at; defaults to PUBLIC_URL's host. */
  EDGE_HOST: variable(
    z
      .string()
      .regex(/^([a-z0-9-]+\.)*[a-z0-9-]+$/i, 'must be a host name')
      .optional(),
  ),
  /** Where this server reaches the TLS edge to check certificates (host:port); defaults to EDGE_HOST:443. */
  EDGE_ADDRESS: variable(
    z
      .string()
      .regex(/^(\[[0-9a-f:.]+\]|[^:\s]+):\d{1,5}$/i, 'must be host:port')
      .optional(),
  ),
  /** PEM file of the CA the edge's certificates chain to (Caddy's internal CA); unset trusts Node's public roots. */
  EDGE_CA_FILE: variable(z.string().min(1).optional()),
  /** Further host names of the platform itself: never claimable, never routed as custom domains. */
  PLATFORM_HOSTS: variable(z.string().optional()),
};

type CustomDomainValues = z.infer<z.ZodObject<typeof customDomainEnvironment>>;

export interface CustomDomainSettings {
  dnsServers: string[] | undefined;
  dnsTimeoutMs: number;
  /** Least time between two checks of one domain that its owner asks for. */
  verifyCooldownMs: number;
  edgeHost: string;
  edgeAddress: { host: string; port: number };
  edgeCaFile: string | undefined;
  /** Lowercase; each of these and its subdomains belong to the platform. */
  platformHosts: string[];
  /**
   * Whether the platform knows its own names (PUBLIC_URL or PLATFORM_HOSTS set).
   * Only then can a request for an unknown host be told apart from a request
   * for the platform under a name nobody configured, and answered 404.
   */
  knowsOwnHosts: boolean;
}

export function readCustomDomainSettings(values: CustomDomainValues, publicUrl: string | undefined): CustomDomainSettings {
  const publicHost = publicUrl ? new URL(publicUrl).hostname.toLowerCase() : undefined;
  const edgeHost = (values.EDGE_HOST ?? publicHost ?? 'localhost').toLowerCase().replace(/\.$/, '');
  const [, addressHost, addressPort] = /^\[?(.+?)\]?:(\d+)$/.exec(values.EDGE_ADDRESS ?? `${edgeHost}:443`)!;
  const extra = values.PLATFORM_HOSTS ? hostList(values.PLATFORM_HOSTS) : [];
  return {
    dnsServers: values.DNS_SERVERS?.split(',').map((entry) => entry.trim()),
    dnsTimeoutMs: values.DNS_TIMEOUT_MS,
    verifyCooldownMs: values.DOMAIN_VERIFY_COOLDOWN_MS,
    edgeHost,
    edgeAddress: { host: addressHost!, port: Number(addressPort) },
    edgeCaFile: values.EDGE_CA_FILE,
    platformHosts: [...new Set(['localhost', edgeHost, ...(publicHost ? [publicHost] : []), ...extra])],
    knowsOwnHosts: publicHost !== undefined || extra.length > 0,
  };
}
