-- 0009 webhook replay: each KPI point keeps when its sender sent it, so
-- that an older delivery (a replay, a delayed retry) never overwrites a
-- newer value of the same key. Rows stored before have the earliest time:
-- any delivery may replace them.
ALTER TABLE kpi_points ADD COLUMN sent_at TIMESTAMPTZ NOT NULL DEFAULT '0001-01-01 00:00:00+00';
