-- A tour's view, like and share counters move with its daily rollups: every
-- change to a tour_daily_stats row adds the same change to its tour. The
-- collector writes the rollups in the statement that stores the events they
-- count, so the counters commit with those events and stay exact; and the
-- tours row (hot for a popular tour) is updated by this small statement, not
-- by the collector's large one, whose every row-lock recheck against a
-- concurrent commit (READ COMMITTED's EvalPlanQual) re-initialises its whole
-- plan. Rollup rows are written in (tour, day) order, so the tours rows are
-- locked in tour order, after them, in every transaction alike.
CREATE FUNCTION tour_counters_follow_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  views bigint := NEW.views - coalesce(OLD.views, 0);
  likes bigint := NEW.likes - coalesce(OLD.likes, 0);
  shares bigint := NEW.shares - coalesce(OLD.shares, 0);
BEGIN
  IF views <> 0 OR likes <> 0 OR shares <> 0 THEN
    UPDATE tours SET view_count = view_count + views, like_count = like_count + likes, share_count = share_count + shares
    WHERE id = NEW.tour_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER tour_daily_stats_counters AFTER INSERT OR UPDATE ON tour_daily_stats
  FOR EACH ROW EXECUTE FUNCTION tour_counters_follow_rollup();
