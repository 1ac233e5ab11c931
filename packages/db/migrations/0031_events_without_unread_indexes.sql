-- Every analytics event pays for each index on tour_analytics_events, in CPU
-- and in WAL, at the collector's full rate. Nothing reads events by session
-- or by (tour, time): sessions carry their own counts (user_sessions), the
-- dashboard's numbers come from tour_daily_stats and the tours counters, and
-- a time range of raw events is a range of the primary key, because UUIDv7
-- ids are time-ordered (that is how the table is partitioned). So the two
-- secondary indexes go; an index for a real reader can come with that reader.
DROP INDEX idx_tour_analytics_events_session;
DROP INDEX idx_tour_analytics_events_tour_time;
