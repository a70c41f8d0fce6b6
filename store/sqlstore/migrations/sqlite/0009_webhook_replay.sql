-- 0009 webhook replay: each KPI point keeps when its sender sent it, so
-- that an older delivery (a replay, a delayed retry) never overwrites a
-- newer value of the same key. Rows stored before have the earliest time
-- (in the fixed-width UTC text of 0001_core.sql): any delivery may replace
-- them.
ALTER TABLE kpi_points ADD COLUMN sent_at TIMESTAMP NOT NULL DEFAULT '0001-01-01T00:00:00.000000Z';
