-- "My tours" filtered by status is paged newest first by (created_at, id).
-- With those columns after (user_id, status), idx_tours_user_status answers
-- a page as one ordered index range: no filter over other statuses, no sort.
-- As (user_id, status) alone the planner preferred idx_tours_user_created and
-- filtered the status row by row.
DROP INDEX idx_tours_user_status;
CREATE INDEX idx_tours_user_status ON tours (user_id, status, created_at DESC, id DESC);
