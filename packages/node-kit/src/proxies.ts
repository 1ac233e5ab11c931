import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { variable } from './env.js';

/**
 * Whether an address is in a configured list; as Express's `trust proxy`
 * function, whether the proxy at that address (`hop` from the socket) is
 * believed about the client it forwards for.
 */
export type AddressMatcher = (address: string, hop: number) => boolean;

/** Matches the addresses, CIDRs and names (loopback, linklocal, uniquelocal) listed. */
export function addressMatcher(entries: string[]): AddressMatcher {
  return proxyAddr.compile(entries);
}

const LIST_FORMAT = 'comma-separated IPv4/IPv6 addresses or CIDRs, the names loopback, linklocal, uniquelocal, or none';

/**
 * A list of addresses: `10.0.0.5, 10.1.0.0/16, ::1, loopback`; `none` is the
 * empty list. Parsed by proxy-addr, the parser Express's `trust proxy` uses.
 */
export function addressListVariable(fallback: string) {
  return variable(
    z
      .string()
      .default(fallback)
      .transform((text, ctx): AddressMatcher => {
        const entries = text.trim() === 'none' ? [] : text.split(',').map((entry) => entry.trim()).filter(Boolean);
        try {
          return addressMatcher(entries);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `must be ${LIST_FORMAT} (${(error as Error).message})` });
          return z.NEVER;
        }
      }),
  );
}

/**
 * The client's address: the socket's peer, or, while that peer is a trusted
 * proxy, the address it names in X-Forwarded-For (from the right; the first
 * untrusted hop is the client). What Express's `req.ip` is under the same trust.
 */
export function clientAddress(req: IncomingMessage, trusted: AddressMatcher): string {
  return proxyAddr(req, trusted);
}
