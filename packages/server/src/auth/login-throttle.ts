import type { Sql } from '@vr-tour/db';

/*
 * Login throttling (after OWASP's Authentication and Credential Stuffing cheat
 * sheets). It has to slow down password guessing, of one account or of a few
 * common passwords across many, without handing a stranger a way to lock the
 * owner out. So no count about an email alone ever refuses an attempt; what
 * refuses is what the caller's own network has done:
 *
 * - Per (network, email): after its `free`-th failure, and after each one
 *   since, the network's next attempt for that email waits: 1 minute, doubling
 *   up to 15. A success clears it. This stops one source hammering one
 *   account, and it only ever holds back that source.
 * - Per network, across emails: `NETWORK_FACTOR` x `free` failures, then the
 *   same doubling waits; a success gives its attempt back. This stops spraying
 *   from one source. It also holds back honest people behind the same NAT, the
 *   price of any limit per address, hence the generous allowance.
 * - Sign-ups per network: the same allowance and waits, counted apart (each one
 *   can tell whether an email is taken, see routes.ts; and an office signing up
 *   its team should not slow its logins).
 * - Per email, across networks: never refuses anyone. Once an email has that
 *   many failures in its window (a distributed attack), its pairs wait after
 *   their first failure instead of after `free`. A network that has not failed
 *   still gets its answer, so the owner with the right password gets in while
 *   the attack goes on.
 *
 * What this cannot do: a botnet of many addresses still gets a guess or so per
 * address, then the waits (about a hundred a day per address at the 15-minute
 * cap). Stopping that without risking the owner's access takes a second factor.
 *
 * Counts are kept by the normalized email as sent, never by account, so an
 * unknown email is throttled exactly like a known one and the throttle tells no
 * one which emails have accounts. Each count lives in a fixed window of 24 h
 * from its first failure. Rows and clock are PostgreSQL's, so every server
 * process applies the same counts. An attempt is counted as a failure before its
 * password is checked (and refused before any hashing when it has to wait), so
 * concurrent requests cannot slip past a limit; a success takes it back.
 */

const FIRST_WAIT_MS = 60_000;
const LONGEST_WAIT_MS = 15 * 60_000;
const WINDOW_MS = 24 * 3600_000;
const NETWORK_FACTOR = 5;

/** How long the next attempt under a key waits after its `failures`-th failure. */
export function waitAfter(failures: number, free: number): number {
  return failures < free ? 0 : Math.min(FIRST_WAIT_MS * 2 ** (failures - free), LONGEST_WAIT_MS);
}

export interface LoginAttempt {
  email: string;
  pair: string;
  network: string;
}

export interface LoginThrottle {
  /**
   * Counts a login attempt before its password is checked. `retryAfter` is the
   * seconds to wait when it must not be checked now (then nothing was counted), else 0.
   */
  beginLogin(email: string, network: string): Promise<{ retryAfter: number; attempt: LoginAttempt }>;
  failed(attempt: LoginAttempt): Promise<void>;
  succeeded(attempt: LoginAttempt): Promise<void>;
  /** Counts a sign-up against its network: the seconds to wait, or 0. */
  beginSignUp(network: string): Promise<number>;
}

/** `free`: failed logins per email from one network before that network waits (LOGIN_MAX_ATTEMPTS). */
export function loginThrottle(sql: Sql, free: number): LoginThrottle {
  const networkFree = free * NETWORK_FACTOR;

  /** Counts one failure against every key at once, unless one of them has to wait: then its seconds. */
  function charge(keys: { key: string; free: number }[]): Promise<number> {
    const names = keys.map(({ key }) => key);
    return sql.begin(async (tx) => {
      // Created and locked in one order, so concurrent attempts never wait on each other in a cycle.
      await tx`
        INSERT INTO auth_login_throttle (key, failures, window_ends_at)
        SELECT key, 0, now() FROM unnest(${names}::text[]) AS k (key) ORDER BY key COLLATE "C"
        ON CONFLICT (key) DO NOTHING`;
      const rows = await tx<{ key: string; failures: number; waiting_ms: number }[]>`
        SELECT key, CASE WHEN window_ends_at > now() THEN failures ELSE 0 END AS failures,
               coalesce(greatest(extract(epoch FROM blocked_until - now()) * 1000, 0), 0)::float8 AS waiting_ms
        FROM auth_login_throttle WHERE key = ANY(${names}::text[]) ORDER BY key COLLATE "C" FOR UPDATE`;
      const waiting = Math.max(...rows.map((row) => row.waiting_ms));
      if (waiting > 0) return Math.ceil(waiting / 1000);
      for (const row of rows) {
        const failures = row.failures + 1;
        const waitMs = waitAfter(failures, keys.find(({ key }) => key === row.key)!.free);
        await tx`
          UPDATE auth_login_throttle SET
            failures = ${failures},
            window_ends_at = CASE WHEN window_ends_at > now() THEN window_ends_at
                                  ELSE now() + ${WINDOW_MS} * interval '1 millisecond' END,
            blocked_until = CASE WHEN ${waitMs}::int > 0 THEN now() + ${waitMs} * interval '1 millisecond' END
          WHERE key = ${row.key}`;
      }
      return 0;
    });
  }

  return {
    async beginLogin(email, network) {
      const attempt = { email, pair: `pair:${network} ${email}`, network: `network:${network}` };
      const [account] = await sql<{ failures: number }[]>`
        SELECT failures FROM auth_login_throttle WHERE key = ${`email:${email}`} AND window_ends_at > now()`;
      const underAttack = (account?.failures ?? 0) >= networkFree;
      const retryAfter = await charge([
        { key: attempt.pair, free: underAttack ? 1 : free },
        { key: attempt.network, free: networkFree },
      ]);
      return { retryAfter, attempt };
    },

    async failed({ email }) {
      await sql`
        INSERT INTO auth_login_throttle AS t (key, failures, window_ends_at)
        VALUES (${`email:${email}`}, 1, now() + ${WINDOW_MS} * interval '1 millisecond')
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN t.window_ends_at > now() THEN t.failures + 1 ELSE 1 END,
          window_ends_at = CASE WHEN t.window_ends_at > now() THEN t.window_ends_at ELSE excluded.window_ends_at END`;
      // Forgotten counts go a few at a time, here, where attacks make rows; the
      // recheck of the outer condition spares a row another attempt just renewed.
      await sql`
        DELETE FROM auth_login_throttle
        WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())
          AND key IN (SELECT key FROM auth_login_throttle WHERE window_ends_at < now() LIMIT 100)`;
    },

    async succeeded({ pair, network }) {
      await sql`DELETE FROM auth_login_throttle WHERE key = ${pair}`;
      await sql`
        UPDATE auth_login_throttle SET
          failures = failures - 1,
          blocked_until = CASE WHEN failures - 1 < ${networkFree} THEN NULL ELSE blocked_until END
        WHERE key = ${network} AND failures > 0 AND window_ends_at > now()`;
    },

    beginSignUp(network) {
      return charge([{ key: `sign-up:${network}`, free: networkFree }]);
    },
  };
}
