-- 0006 kpis: KPI data points from POST /hooks/metrics and CSV imports.

-- One row per metric, brand, channel and period. The primary key makes a
-- repeated point replace the stored one (idempotent webhooks and imports)
-- and serves queries for one brand and channel; a point is a value, or a
-- numerator and a denominator that are summed separately.
CREATE TABLE kpi_points (
    metric       TEXT             NOT NULL,
    brand        TEXT             NOT NULL,
    channel      TEXT             NOT NULL,
    period_start TIMESTAMPTZ      NOT NULL,
    period_end   TIMESTAMPTZ      NOT NULL,
    value        DOUBLE PRECISION,
    numerator    DOUBLE PRECISION,
    denominator  DOUBLE PRECISION,
    PRIMARY KEY (metric, brand, channel, period_start, period_end),
    CHECK (period_end > period_start),
    CHECK ((value IS NOT NULL AND numerator IS NULL AND denominator IS NULL)
        OR (value IS NULL AND numerator IS NOT NULL AND denominator IS NOT NULL))
);
-- Queries over every brand, or one brand and every channel.
CREATE INDEX kpi_points_metric ON kpi_points (metric, period_start);
CREATE INDEX kpi_points_brand ON kpi_points (metric, brand, period_start);
