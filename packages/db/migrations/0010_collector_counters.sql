-- The collector bumps tours.view_count/like_count/share_count many times a
-- second. Those bumps are not edits: they must not move tours.updated_at,
-- which the public tour document's Last-Modified/ETag derive from (every view
-- would otherwise invalidate every cached copy of a hot tour).
DROP TRIGGER tours_updated_at ON tours;
CREATE TRIGGER tours_updated_at BEFORE UPDATE ON tours FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['view_count', 'like_count', 'share_count', 'updated_at'])
        IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['view_count', 'like_count', 'share_count', 'updated_at']))
  EXECUTE FUNCTION set_updated_at();
