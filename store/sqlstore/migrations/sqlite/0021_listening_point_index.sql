-- 0021 one index fewer on listening_points, as on PostgreSQL: the series
-- index by window_end goes. SQLite cannot drop the table's UNIQUE (window)
-- index without rebuilding the table, so a series' window_end range is
-- found within that index's source, brand and topic prefix: the embedded
-- store's series are small.

DROP INDEX listening_points_series;
