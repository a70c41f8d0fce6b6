-- 0004 listening: data points from listening tools, alerts grouped by brand
-- and topic, and the outbox of alert messages still to deliver to chat.

-- One row per source, brand, topic ('' = the brand as a whole) and window.
-- The unique key makes a sender's retry a no-op. evaluated is set once spike
-- detection has judged the point (or set it aside as history).
CREATE TABLE listening_points (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       TEXT        NOT NULL,
    brand        TEXT        NOT NULL,
    topic        TEXT        NOT NULL DEFAULT '',
    window_start TIMESTAMPTZ NOT NULL,
    window_end   TIMESTAMPTZ NOT NULL,
    mentions     BIGINT      NOT NULL,
    negative     BIGINT      NOT NULL DEFAULT 0,
    neutral      BIGINT      NOT NULL DEFAULT 0,
    positive     BIGINT      NOT NULL DEFAULT 0,
    reach        BIGINT      NOT NULL DEFAULT 0,
    press        BOOLEAN     NOT NULL DEFAULT FALSE,
    samples      TEXT        NOT NULL DEFAULT '[]',
    received_at  TIMESTAMPTZ NOT NULL,
    evaluated    BOOLEAN     NOT NULL DEFAULT FALSE,
    UNIQUE (source, brand, topic, window_start, window_end),
    CHECK (window_end > window_start)
);
CREATE INDEX listening_points_series ON listening_points (source, brand, topic, window_end);
CREATE INDEX listening_points_unevaluated ON listening_points (source, brand, topic, window_end)
    WHERE evaluated = FALSE;

-- Alert groups. At most one active alert per brand and topic: two replicas
-- judging spikes of the same group at once cannot both open one.
CREATE TABLE listening_alerts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand            TEXT             NOT NULL,
    topic            TEXT             NOT NULL DEFAULT '',
    status           TEXT             NOT NULL,
    severity         TEXT             NOT NULL,
    peak_severity    TEXT             NOT NULL,
    reasons          TEXT             NOT NULL DEFAULT '[]',
    source           TEXT             NOT NULL,
    mentions         BIGINT           NOT NULL,
    expected         DOUBLE PRECISION NOT NULL,
    multiple         DOUBLE PRECISION NOT NULL,
    negative         BIGINT           NOT NULL DEFAULT 0,
    reach            BIGINT           NOT NULL DEFAULT 0,
    press            BOOLEAN          NOT NULL DEFAULT FALSE,
    peak_mentions    BIGINT           NOT NULL,
    samples          TEXT             NOT NULL DEFAULT '[]',
    first_window     TIMESTAMPTZ      NOT NULL,
    last_window      TIMESTAMPTZ      NOT NULL,
    opened_at        TIMESTAMPTZ      NOT NULL,
    updated_at       TIMESTAMPTZ      NOT NULL,
    resolved_at      TIMESTAMPTZ,
    acked_by         TEXT             NOT NULL DEFAULT '',
    acked_at         TIMESTAMPTZ,
    snoozed_by       TEXT             NOT NULL DEFAULT '',
    snoozed_until    TIMESTAMPTZ,
    crisis_requested BOOLEAN          NOT NULL DEFAULT FALSE,
    message_channel  TEXT             NOT NULL DEFAULT '',
    message_id       TEXT             NOT NULL DEFAULT '',
    version          BIGINT           NOT NULL DEFAULT 1,
    CHECK (status IN ('active', 'resolved'))
);
CREATE UNIQUE INDEX listening_alerts_one_active ON listening_alerts (brand, topic) WHERE status = 'active';
CREATE INDEX listening_alerts_opened ON listening_alerts (opened_at DESC, id DESC);

-- The outbox: chat operations for an alert, kept until delivered. A claim
-- leases an entry until claimed_until so that two deliverers never send it
-- twice at once.
CREATE TABLE listening_outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id      BIGINT      NOT NULL REFERENCES listening_alerts (id),
    kind          TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    attempts      INTEGER     NOT NULL DEFAULT 0,
    claimed_until TIMESTAMPTZ,
    delivered_at  TIMESTAMPTZ,
    last_error    TEXT        NOT NULL DEFAULT '',
    CHECK (kind IN ('notify', 'update', 'crisis'))
);
CREATE INDEX listening_outbox_pending ON listening_outbox (alert_id, id) WHERE delivered_at IS NULL;
