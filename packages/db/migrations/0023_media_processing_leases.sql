-- The media rows are the processing queue (as DESIGN.md does queues): a
-- worker in any server process claims a due row with FOR UPDATE SKIP LOCKED
-- and holds it by a lease it renews while it works. A process that dies
-- stops renewing; once the lease has run out another process claims the row.
ALTER TABLE media
  -- Claims so far; a row claimed more often than the worker allows ends failed.
  ADD COLUMN attempts smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN lease_owner text CHECK (length(lease_owner) <= 200),
  ADD COLUMN lease_expires_at timestamptz,
  -- Storage keys processing wrote (noted before each write), so the outputs
  -- of attempts that died can be removed when the row ends failed.
  ADD COLUMN written_keys text[] NOT NULL DEFAULT '{}',
  ADD CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL));

-- The due rows, oldest first: what every worker's claim scans.
CREATE INDEX idx_media_due ON media (created_at) WHERE status IN ('pending', 'processing');
