import { request } from './client.js';
import type { CustomDomain } from './types.js';

/** A creator's custom domains: each shows one tour at a host (and path) of theirs. */

export const listDomains = (signal?: AbortSignal) =>
  request<{ items: CustomDomain[] }>('GET', '/custom-domains', signal ? { signal } : {}).then((list) => list.items);

export const addDomain = (domain: { host: string; tourId: string; path?: string }) =>
  request<CustomDomain>('POST', '/custom-domains', { body: domain });

/** Checks the domain's DNS now; inside the cooldown the server answers 429 (ApiError.retryAfterSeconds). */
export const verifyDomain = (id: string) =>
  request<CustomDomain & { check: { ok: true } | { ok: false; retryable: boolean; reason: string } }>(
    'POST',
    `/custom-domains/${encodeURIComponent(id)}/verify`,
  );

export const deleteDomain = (id: string) => request<void>('DELETE', `/custom-domains/${encodeURIComponent(id)}`);
