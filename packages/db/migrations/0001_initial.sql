-- The whole data model of shared/seed/tours-model.md. Enum values are the
-- seed's, exactly; packages/protocol/src/enums.ts mirrors them and a test
-- keeps the two equal.

CREATE TYPE user_role AS ENUM ('creator', 'admin');
CREATE TYPE tour_status AS ENUM ('draft', 'published', 'archived');
CREATE TYPE tour_visibility AS ENUM ('private', 'unlisted', 'public');
CREATE TYPE hotspot_type AS ENUM ('navigation', 'info', 'audio', 'video', 'link', 'custom');
CREATE TYPE analytics_event_type AS ENUM ('view', 'scene_view', 'hotspot_click', 'share', 'like', 'performance');
CREATE TYPE ai_job_type AS ENUM ('scene_analysis', 'hotspot_generation');
CREATE TYPE ai_job_status AS ENUM ('pending', 'processing', 'completed', 'failed', 'cancelled');
CREATE TYPE custom_domain_verification_status AS ENUM ('pending', 'verified', 'failed');
CREATE TYPE custom_domain_ssl_status AS ENUM ('none', 'pending', 'active', 'failed');
CREATE TYPE media_kind AS ENUM ('panorama', 'image', 'floor_plan', 'audio', 'video');
CREATE TYPE media_status AS ENUM ('pending', 'processing', 'ready', 'failed');

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
  password_hash text,
  display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 100),
  role user_role NOT NULL DEFAULT 'creator',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE media (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind media_kind NOT NULL,
  status media_status NOT NULL DEFAULT 'pending',
  progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  original_name text CHECK (length(original_name) <= 255),
  mime_type text CHECK (length(mime_type) <= 100),
  byte_size bigint CHECK (byte_size >= 0),
  width integer CHECK (width > 0),
  height integer CHECK (height > 0),
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- What the pipeline produced: the panorama's inline preview, preview URL,
  -- levels, thumbnail. Shaped like the tour document's `panorama`.
  variants jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(variants) = 'object'),
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'ready' OR progress = 100),
  CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE INDEX idx_media_user_id ON media (user_id, created_at DESC);
CREATE TRIGGER media_updated_at BEFORE UPDATE ON media FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE tours (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 5000),
  status tour_status NOT NULL DEFAULT 'draft',
  visibility tour_visibility NOT NULL DEFAULT 'private',
  -- Legacy flag; the tours_sync_is_public trigger keeps it equal to visibility = 'public'.
  is_public boolean NOT NULL DEFAULT false,
  is_featured boolean NOT NULL DEFAULT false,
  view_count bigint NOT NULL DEFAULT 0 CHECK (view_count >= 0),
  like_count bigint NOT NULL DEFAULT 0 CHECK (like_count >= 0),
  share_count bigint NOT NULL DEFAULT 0 CHECK (share_count >= 0),
  settings jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  thumbnail_url text CHECK (length(thumbnail_url) <= 2048),
  initial_scene_id uuid,
  published_at timestamptz,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'published' OR published_at IS NOT NULL),
  CHECK (status <> 'archived' OR archived_at IS NOT NULL),
  CHECK (is_public = (visibility = 'public'))
);
CREATE INDEX idx_tours_user_id ON tours (user_id);
CREATE INDEX idx_tours_status ON tours (status);
CREATE INDEX idx_tours_user_status ON tours (user_id, status);
CREATE INDEX idx_tours_featured ON tours (published_at DESC)
  WHERE is_featured AND status = 'published' AND visibility = 'public';
CREATE TRIGGER tours_updated_at BEFORE UPDATE ON tours FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Old clients write is_public, new ones write visibility: whichever changed
-- wins, and the other follows, so the two never disagree.
CREATE FUNCTION tours_sync_is_public() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.is_public IS DISTINCT FROM OLD.is_public
     AND NEW.visibility IS NOT DISTINCT FROM OLD.visibility THEN
    NEW.visibility := CASE WHEN NEW.is_public THEN 'public' ELSE 'private' END::tour_visibility;
  ELSIF TG_OP = 'INSERT' AND NEW.is_public AND NEW.visibility = 'private' THEN
    NEW.visibility := 'public';
  END IF;
  NEW.is_public := NEW.visibility = 'public';
  RETURN NEW;
END $$;
CREATE TRIGGER tours_sync_is_public BEFORE INSERT OR UPDATE ON tours
  FOR EACH ROW EXECUTE FUNCTION tours_sync_is_public();

CREATE TABLE floor_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tour_id uuid NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  media_id uuid REFERENCES media (id) ON DELETE SET NULL,
  image_url text NOT NULL CHECK (length(image_url) <= 2048),
  width integer NOT NULL CHECK (width > 0),
  height integer NOT NULL CHECK (height > 0),
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tour_id)
);
CREATE INDEX idx_floor_plans_tour_id ON floor_plans (tour_id, sort_order);
CREATE TRIGGER floor_plans_updated_at BEFORE UPDATE ON floor_plans FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE scenes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tour_id uuid NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 5000),
  media_id uuid REFERENCES media (id) ON DELETE SET NULL,
  floor_plan_id uuid,
  floor_plan_x real CHECK (floor_plan_x BETWEEN 0 AND 1),
  floor_plan_y real CHECK (floor_plan_y BETWEEN 0 AND 1),
  initial_yaw double precision NOT NULL DEFAULT 0 CHECK (initial_yaw BETWEEN -180 AND 180),
  initial_pitch double precision NOT NULL DEFAULT 0 CHECK (initial_pitch BETWEEN -90 AND 90),
  initial_fov double precision NOT NULL DEFAULT 90 CHECK (initial_fov BETWEEN 10 AND 120),
  north_offset double precision NOT NULL DEFAULT 0 CHECK (north_offset BETWEEN -180 AND 180),
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tour_id),
  -- A scene sits on a floor plan of its own tour, with both coordinates or none.
  FOREIGN KEY (floor_plan_id, tour_id) REFERENCES floor_plans (id, tour_id) ON DELETE SET NULL (floor_plan_id),
  CHECK ((floor_plan_id IS NULL) = (floor_plan_x IS NULL) AND (floor_plan_x IS NULL) = (floor_plan_y IS NULL))
);
CREATE INDEX idx_scenes_tour_id ON scenes (tour_id, sort_order);
CREATE TRIGGER scenes_updated_at BEFORE UPDATE ON scenes FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Clearing a floor plan must clear the coordinates too (the SET NULL above only touches the id).
CREATE FUNCTION scenes_clear_floor_plan_position() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.floor_plan_id IS NULL THEN
    NEW.floor_plan_x := NULL;
    NEW.floor_plan_y := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER scenes_clear_floor_plan_position BEFORE INSERT OR UPDATE ON scenes
  FOR EACH ROW EXECUTE FUNCTION scenes_clear_floor_plan_position();

-- The tour's start scene must be one of its own scenes.
ALTER TABLE tours ADD FOREIGN KEY (initial_scene_id, id)
  REFERENCES scenes (id, tour_id) ON DELETE SET NULL (initial_scene_id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE hotspots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scene_id uuid NOT NULL REFERENCES scenes (id) ON DELETE CASCADE,
  type hotspot_type NOT NULL,
  yaw double precision NOT NULL CHECK (yaw BETWEEN -180 AND 180),
  pitch double precision NOT NULL CHECK (pitch BETWEEN -90 AND 90),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  -- Navigation only: the scene it leads to, and optionally where to look on arrival.
  target_scene_id uuid REFERENCES scenes (id) ON DELETE CASCADE,
  target_yaw double precision CHECK (target_yaw BETWEEN -180 AND 180),
  target_pitch double precision CHECK (target_pitch BETWEEN -90 AND 90),
  target_fov double precision CHECK (target_fov BETWEEN 10 AND 120),
  -- Type-specific fields of the other types (html, mediaUrl, url, payload, ...),
  -- validated by the API with the protocol's schemas.
  content jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(content) = 'object' AND pg_column_size(content) <= 65536),
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((type = 'navigation') = (target_scene_id IS NOT NULL)),
  CHECK (target_scene_id IS DISTINCT FROM scene_id),
  CHECK ((target_yaw IS NULL) = (target_pitch IS NULL) AND (target_pitch IS NULL) = (target_fov IS NULL)),
  CHECK (type = 'navigation' OR target_yaw IS NULL)
);
CREATE INDEX idx_hotspots_scene_id ON hotspots (scene_id, sort_order);
CREATE INDEX idx_hotspots_target_scene_id ON hotspots (target_scene_id) WHERE target_scene_id IS NOT NULL;
CREATE TRIGGER hotspots_updated_at BEFORE UPDATE ON hotspots FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE FUNCTION hotspots_target_in_same_tour() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.target_scene_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM scenes s JOIN scenes t ON t.tour_id = s.tour_id
    WHERE s.id = NEW.scene_id AND t.id = NEW.target_scene_id
  ) THEN
    RAISE EXCEPTION 'navigation target % is not a scene of the same tour', NEW.target_scene_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'hotspots_target_same_tour';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER hotspots_target_in_same_tour BEFORE INSERT OR UPDATE OF target_scene_id, scene_id ON hotspots
  FOR EACH ROW EXECUTE FUNCTION hotspots_target_in_same_tour();

CREATE TABLE branding (
  tour_id uuid PRIMARY KEY REFERENCES tours (id) ON DELETE CASCADE,
  logo_url text CHECK (length(logo_url) <= 2048),
  primary_color text CHECK (primary_color ~ '^#[0-9a-f]{6}$'),
  accent_color text CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
  link_url text CHECK (link_url ~ '^https?://' AND length(link_url) <= 2048),
  show_powered_by boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER branding_updated_at BEFORE UPDATE ON branding FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Anonymous viewer sessions. visitor_hash is an HMAC of a daily random salt,
-- the tour, the IP and the user agent: no IP or cookie is ever stored.
CREATE TABLE user_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tour_id uuid NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  visitor_hash bytea NOT NULL CHECK (length(visitor_hash) = 32),
  started_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  event_count integer NOT NULL DEFAULT 0 CHECK (event_count >= 0),
  viewed boolean NOT NULL DEFAULT false,
  liked boolean NOT NULL DEFAULT false,
  entry_scene_id uuid,
  referrer_host text CHECK (length(referrer_host) <= 253),
  browser text CHECK (length(browser) <= 50),
  os text CHECK (length(os) <= 50),
  device_type text CHECK (device_type IN ('desktop', 'mobile', 'tablet', 'other')),
  CHECK (last_seen_at >= started_at)
);
CREATE INDEX idx_user_sessions_visitor ON user_sessions (tour_id, visitor_hash, last_seen_at DESC);
CREATE INDEX idx_user_sessions_tour_started ON user_sessions (tour_id, started_at);

-- Events are partitioned by RANGE of their id: clients make UUIDv7 ids, whose
-- leading 48 bits are a millisecond timestamp, so monthly id ranges are
-- monthly partitions, and the primary key on id alone stays globally unique
-- (the idempotency key for retries). Ids of any other shape, or from a badly
-- wrong clock, fall into the default partition.
CREATE TABLE tour_analytics_events (
  id uuid NOT NULL,
  tour_id uuid NOT NULL,
  session_id uuid NOT NULL,
  type analytics_event_type NOT NULL,
  scene_id uuid,
  hotspot_id uuid,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object' AND pg_column_size(data) <= 4096),
  PRIMARY KEY (id)
) PARTITION BY RANGE (id);
CREATE TABLE tour_analytics_events_default PARTITION OF tour_analytics_events DEFAULT;
CREATE INDEX idx_tour_analytics_events_tour_time ON tour_analytics_events (tour_id, occurred_at);
CREATE INDEX idx_tour_analytics_events_session ON tour_analytics_events (session_id);

-- The smallest and largest UUIDv7 of a month, as partition bounds.
CREATE FUNCTION uuid7_lower_bound(at timestamptz) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT (lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') || '00000000000000000000')::uuid
$$;

-- Creates the monthly partitions from `first_month` for `months` months; idempotent.
-- The collector calls it at start and daily, so next month's exists before it begins.
CREATE FUNCTION ensure_event_partitions(first_month date, months integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  month_start date;
  partition_name text;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    month_start := date_trunc('month', first_month)::date + make_interval(months => i);
    partition_name := 'tour_analytics_events_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass(partition_name) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF tour_analytics_events FOR VALUES FROM (%L) TO (%L)',
        partition_name,
        uuid7_lower_bound(month_start::timestamptz AT TIME ZONE 'UTC'),
        uuid7_lower_bound((month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
    END IF;
  END LOOP;
END $$;

-- Exact daily rollups for the dashboard, incremented in the same transaction
-- as the events they count.
CREATE TABLE tour_daily_stats (
  tour_id uuid NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  day date NOT NULL,
  views bigint NOT NULL DEFAULT 0,
  sessions bigint NOT NULL DEFAULT 0,
  scene_views bigint NOT NULL DEFAULT 0,
  hotspot_clicks bigint NOT NULL DEFAULT 0,
  shares bigint NOT NULL DEFAULT 0,
  likes bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tour_id, day)
);

-- Daily random salts for visitor hashes; yesterday's is kept for the midnight
-- overlap, older ones are deleted so old hashes can never be recomputed.
CREATE TABLE analytics_salts (
  day date PRIMARY KEY,
  salt bytea NOT NULL CHECK (length(salt) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ai_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tour_id uuid NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  scene_id uuid REFERENCES scenes (id) ON DELETE CASCADE,
  type ai_job_type NOT NULL,
  status ai_job_status NOT NULL DEFAULT 'pending',
  progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  input jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(input) = 'object'),
  result jsonb,
  error text,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  run_after timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  started_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'completed' OR (progress = 100 AND completed_at IS NOT NULL)),
  CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE INDEX idx_ai_jobs_queue ON ai_jobs (run_after) WHERE status = 'pending';
CREATE INDEX idx_ai_jobs_tour_id ON ai_jobs (tour_id, created_at DESC);
CREATE TRIGGER ai_jobs_updated_at BEFORE UPDATE ON ai_jobs FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE custom_domains (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tour_id uuid NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  -- Normalized by the API (lowercase, punycode, no trailing dot); the checks keep odd spellings out.
  host text NOT NULL UNIQUE CHECK (
    host = lower(host) AND length(host) BETWEEN 4 AND 253
    AND host ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$'),
  path text NOT NULL DEFAULT '/' CHECK (path ~ '^/[A-Za-z0-9._~/-]*$' AND length(path) <= 200),
  verification_status custom_domain_verification_status NOT NULL DEFAULT 'pending',
  verification_token text NOT NULL CHECK (verification_token ~ '^[0-9a-f]{32}$'),
  verification_reason text,
  verified_at timestamptz,
  last_checked_at timestamptz,
  next_check_at timestamptz DEFAULT now(),
  check_attempts integer NOT NULL DEFAULT 0 CHECK (check_attempts >= 0),
  ssl_status custom_domain_ssl_status NOT NULL DEFAULT 'none',
  ssl_reason text,
  ssl_checked_at timestamptz,
  ssl_attempts integer NOT NULL DEFAULT 0 CHECK (ssl_attempts >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (verification_status <> 'verified' OR verified_at IS NOT NULL),
  CHECK (ssl_status = 'none' OR verification_status = 'verified' OR ssl_status = 'failed')
);
CREATE INDEX idx_custom_domains_user_id ON custom_domains (user_id);
CREATE INDEX idx_custom_domains_next_check ON custom_domains (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE TRIGGER custom_domains_updated_at BEFORE UPDATE ON custom_domains FOR EACH ROW EXECUTE FUNCTION set_updated_at();
