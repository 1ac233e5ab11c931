-- The AI jobs rows are a queue of the job runner (jobs/runner.ts), as the
-- media rows are: claimed with FOR UPDATE SKIP LOCKED under a lease that the
-- worker renews, handed back at shutdown, failed after bounded attempts.
ALTER TABLE ai_jobs RENAME COLUMN locked_by TO lease_owner;
ALTER TABLE ai_jobs
  ADD COLUMN lease_expires_at timestamptz,
  -- What the job is doing now ("detecting objects"), beside progress in percent.
  ADD COLUMN stage text CHECK (length(stage) <= 100),
  -- Counts the changes a client sees (status, progress, stage, result, error),
  -- so a socket drops a notification older than what it already sent.
  ADD COLUMN revision integer NOT NULL DEFAULT 0,
  ADD CHECK (length(lease_owner) <= 200),
  ADD CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)),
  ADD CHECK (length(error) <= 1000),
  ADD CHECK (result IS NULL OR pg_column_size(result) <= 1048576),
  ADD CHECK (pg_column_size(input) <= 4096),
  -- A scene analysis is of one scene; a hotspot generation of a whole tour.
  ADD CHECK ((type = 'scene_analysis') = (scene_id IS NOT NULL));

-- The due rows, oldest first: what every runner's claim scans (run_after is not used).
DROP INDEX idx_ai_jobs_queue;
CREATE INDEX idx_ai_jobs_due ON ai_jobs (created_at) WHERE status IN ('pending', 'processing');

CREATE FUNCTION ai_jobs_count_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.status, NEW.progress, NEW.stage, NEW.error) IS DISTINCT FROM (OLD.status, OLD.progress, OLD.stage, OLD.error)
     OR NEW.result IS DISTINCT FROM OLD.result THEN
    NEW.revision := OLD.revision + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ai_jobs_count_revision BEFORE UPDATE ON ai_jobs FOR EACH ROW EXECUTE FUNCTION ai_jobs_count_revision();

-- Every visible change is announced from the transaction that makes it, to
-- the sockets of every server process (/ws/jobs/{id}) and to the runner
-- holding the job (a cancellation). The result itself is read from the row.
CREATE FUNCTION ai_jobs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ai_job_changes', json_build_object(
    'id', NEW.id, 'revision', NEW.revision, 'status', NEW.status, 'progress', NEW.progress, 'stage', NEW.stage)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER ai_jobs_notify_insert AFTER INSERT ON ai_jobs FOR EACH ROW EXECUTE FUNCTION ai_jobs_notify_change();
CREATE TRIGGER ai_jobs_notify_update AFTER UPDATE ON ai_jobs FOR EACH ROW
  WHEN (NEW.revision <> OLD.revision) EXECUTE FUNCTION ai_jobs_notify_change();

-- What a job suggests: a hotspot the creator may accept (it is created then)
-- or reject (remembered: a later job does not suggest it again).
CREATE TABLE ai_suggestions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id uuid NOT NULL REFERENCES ai_jobs (id) ON DELETE CASCADE,
  -- The scene the hotspot would be placed in.
  scene_id uuid NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,
  type hotspot_type NOT NULL CHECK (type IN ('info', 'navigation')),
  target_scene_id uuid REFERENCES scenes (id) ON DELETE CASCADE,
  yaw double precision NOT NULL CHECK (yaw BETWEEN -180 AND 180),
  pitch double precision NOT NULL CHECK (pitch BETWEEN -90 AND 90),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  -- What was found there: a COCO class for an object, 'link' for a navigation link.
  label text NOT NULL CHECK (length(label) <= 100),
  confidence real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  evidence jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(evidence) = 'object' AND pg_column_size(evidence) <= 8192),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  hotspot_id uuid REFERENCES hotspots (id) ON DELETE SET NULL,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((type = 'navigation') = (target_scene_id IS NOT NULL)),
  CHECK (target_scene_id IS DISTINCT FROM scene_id),
  CHECK ((status = 'open') = (decided_at IS NULL))
);
CREATE INDEX idx_ai_suggestions_job_id ON ai_suggestions (job_id, created_at);
CREATE INDEX idx_ai_suggestions_rejected ON ai_suggestions (scene_id) WHERE status = 'rejected';
