import { request } from './client.js';
import type { ApiToken, CreatedApiToken } from './types.js';

/** The signed-in account: its API tokens, and deleting it. */

export const listTokens = () => request<{ items: ApiToken[] }>('GET', '/auth/tokens').then((list) => list.items);

export const createToken = (name: string) => request<CreatedApiToken>('POST', '/auth/tokens', { body: { name } });

export const revokeToken = (id: string) => request<void>('DELETE', `/auth/tokens/${encodeURIComponent(id)}`);

/** Deletes the account and everything in it; the server ends the session too. */
export const deleteAccount = () => request<void>('DELETE', '/auth/me');
