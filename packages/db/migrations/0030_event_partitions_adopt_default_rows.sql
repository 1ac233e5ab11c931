-- Events whose id is not a UUIDv7 of a month that has a partition (a client
-- clock far off, an old client, a forged id) land in the default partition.
-- CREATE TABLE ... PARTITION OF fails once the default holds a row of the new
-- month's range, and that would stop next month's partition from being made:
-- so a new month is built aside, takes its rows out of the default, and is
-- attached, all under a lock on the default so no row slips in meanwhile.
CREATE OR REPLACE FUNCTION ensure_event_partitions(first_month date, months integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  month_start date;
  partition_name text;
  lower_bound uuid;
  upper_bound uuid;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    month_start := date_trunc('month', first_month)::date + make_interval(months => i);
    partition_name := 'tour_analytics_events_' || to_char(month_start, 'YYYY_MM');
    IF to_regclass(partition_name) IS NULL THEN
      lower_bound := uuid7_lower_bound(month_start::timestamptz AT TIME ZONE 'UTC');
      upper_bound := uuid7_lower_bound((month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC');
      LOCK TABLE tour_analytics_events_default IN ACCESS EXCLUSIVE MODE;
      EXECUTE format('CREATE TABLE %I (LIKE tour_analytics_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
      EXECUTE format(
        'WITH moved AS (DELETE FROM tour_analytics_events_default WHERE id >= %L AND id < %L RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved',
        lower_bound, upper_bound, partition_name);
      EXECUTE format(
        'ALTER TABLE tour_analytics_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
        partition_name, lower_bound, upper_bound);
    END IF;
  END LOOP;
END $$;
