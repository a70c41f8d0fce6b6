-- 0021 one index fewer on listening_points: every point inserted updated
-- three indexes (the primary key, the unique window, and the series by
-- window_end). The unique window now leads with window_end, so it serves
-- the series' window_end ranges too, and the series index goes; ON
-- CONFLICT names the same columns, which match it in any order.

CREATE UNIQUE INDEX listening_points_window ON listening_points (source, brand, topic, window_end, window_start);
DO $$
DECLARE c text;
BEGIN
    SELECT conname INTO c FROM pg_constraint
    WHERE conrelid = 'listening_points'::regclass AND contype = 'u';
    IF c IS NOT NULL THEN
        EXECUTE format('ALTER TABLE listening_points DROP CONSTRAINT %I', c);
    END IF;
END $$;
DROP INDEX listening_points_series;
