-- Login throttling by failures with doubling waits (server auth/login-throttle.ts
-- holds the policy). It replaces the fixed-window counters of 0020, under which
-- anyone could lock an account for everyone, its owner and the right password
-- included. The rows are short-lived state, so the old ones are simply dropped.
DROP TABLE auth_login_attempts;

CREATE TABLE auth_login_throttle (
  -- 'pair:<network> <email>', 'network:<network>', 'email:<email>' or 'sign-up:<network>'.
  key text PRIMARY KEY CHECK (length(key) <= 400),
  failures integer NOT NULL CHECK (failures >= 0),
  -- The count is forgotten at this time: a fixed window from its first failure.
  window_ends_at timestamptz NOT NULL,
  -- Attempts under this key are refused (429 with Retry-After) until then.
  blocked_until timestamptz
);
CREATE INDEX idx_auth_login_throttle_window_ends_at ON auth_login_throttle (window_ends_at);

-- Emails are compared in Unicode NFC from now on (trimmed, lowercased, then
-- NFC, at the API's edge). Bring stored ones in line, except one whose NFC form
-- another account already has (or would get): those are left for an operator.
-- Unicode normalization needs a UTF8 database, which is what the embedded one is.
DO $$
BEGIN
  IF current_setting('server_encoding') = 'UTF8' THEN
    UPDATE users u SET email = normalize(u.email, NFC)
    WHERE u.email IS NOT NFC NORMALIZED
      AND NOT EXISTS (SELECT 1 FROM users o WHERE o.id <> u.id AND normalize(o.email, NFC) = normalize(u.email, NFC));
  END IF;
END
$$;
