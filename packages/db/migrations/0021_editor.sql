-- Editor API support.

-- "My tours", newest first, paged by (created_at, id) keyset.
CREATE INDEX idx_tours_user_created ON tours (user_id, created_at DESC, id DESC);

-- A tour's thumbnail follows its first scene's panorama thumbnail, whichever
-- way that changes: scenes added, removed, reordered, re-pointed at other
-- media, or their media finishing processing.
CREATE FUNCTION refresh_tour_thumbnail(target uuid) RETURNS void LANGUAGE sql AS $$
  UPDATE tours t SET thumbnail_url = first.url
  FROM (SELECT (
    SELECT m.variants ->> 'thumbnailUrl'
    FROM scenes s JOIN media m ON m.id = s.media_id AND m.status = 'ready'
    WHERE s.tour_id = target
    ORDER BY s.sort_order, s.created_at, s.id LIMIT 1) AS url) first
  WHERE t.id = target AND t.thumbnail_url IS DISTINCT FROM first.url
$$;

CREATE FUNCTION scenes_refresh_tour_thumbnail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM refresh_tour_thumbnail(OLD.tour_id); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND (TG_OP = 'INSERT' OR NEW.tour_id <> OLD.tour_id) THEN
    PERFORM refresh_tour_thumbnail(NEW.tour_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER scenes_refresh_tour_thumbnail AFTER INSERT OR DELETE OR UPDATE OF media_id, sort_order, tour_id ON scenes
  FOR EACH ROW EXECUTE FUNCTION scenes_refresh_tour_thumbnail();

CREATE FUNCTION media_refresh_tour_thumbnail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_tour_thumbnail(s.tour_id) FROM (SELECT DISTINCT tour_id FROM scenes WHERE media_id = NEW.id) s;
  RETURN NULL;
END $$;
CREATE TRIGGER media_refresh_tour_thumbnail AFTER UPDATE OF status, variants ON media
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.variants IS DISTINCT FROM NEW.variants)
  EXECUTE FUNCTION media_refresh_tour_thumbnail();
