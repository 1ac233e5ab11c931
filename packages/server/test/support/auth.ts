import { randomUUID } from 'node:crypto';
import type { Sql } from '@vr-tour/db';
import type { UserRole } from '@vr-tour/protocol';
import { createApiToken, insertUser } from '../../src/auth/sql.js';

export interface TestCaller {
  userId: string;
  token: string;
  authHeader: { Authorization: string };
}

/**
 * A user with a live personal API token, made through the same SQL the
 * routes use, for tests that need an authenticated caller without a login.
 */
export async function createUserWithToken(sql: Sql, role: UserRole = 'creator'): Promise<TestCaller> {
  const user = await insertUser(sql, {
    email: `u-${randomUUID()}@example.com`,
    // No password: this account can only use its token.
    passwordHash: null,
    displayName: 'Test user',
    role,
  });
  const { token } = await createApiToken(sql, user!.id, 'test');
  return { userId: user!.id, token, authHeader: { Authorization: `Bearer ${token}` } };
}
