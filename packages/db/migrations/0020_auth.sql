-- Accounts: browser sessions, personal API tokens and login throttling.
-- Secrets are never stored: sessions and tokens are random 256-bit values
-- kept as their SHA-256 (enough for high-entropy secrets; argon2 is for passwords).

CREATE TABLE auth_sessions (
  token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text CHECK (length(user_agent) <= 300)
);
CREATE INDEX idx_auth_sessions_user_id ON auth_sessions (user_id);
CREATE INDEX idx_auth_sessions_expires_at ON auth_sessions (expires_at);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  -- The first characters of the token, so a person can tell their tokens apart.
  prefix text NOT NULL CHECK (length(prefix) <= 16),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX idx_api_tokens_user_id ON api_tokens (user_id, created_at DESC);

-- Fixed-window counters of login attempts per key (an IP or an email), shared
-- by every server process so the limit holds behind a load balancer.
CREATE TABLE auth_login_attempts (
  key text PRIMARY KEY CHECK (length(key) <= 300),
  window_start timestamptz NOT NULL,
  attempts integer NOT NULL CHECK (attempts >= 0)
);
