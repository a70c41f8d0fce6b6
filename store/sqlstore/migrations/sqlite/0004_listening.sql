-- 0004 listening: data points from listening tools, alerts grouped by brand
-- and topic, and the outbox of alert messages still to deliver to chat.
-- Times are TIMESTAMP columns holding UTC text (see 0001_core.sql).

-- One row per source, brand, topic ('' = the brand as a whole) and window.
-- The unique key makes a sender's retry a no-op. evaluated is set once spike
-- detection has judged the point (or set it aside as history).
CREATE TABLE listening_points (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    source       TEXT        NOT NULL,
    brand        TEXT        NOT NULL,
    topic        TEXT        NOT NULL DEFAULT '',
    window_start TIMESTAMP   NOT NULL,
    window_end   TIMESTAMP   NOT NULL,
    mentions     INTEGER     NOT NULL,
    negative     INTEGER     NOT NULL DEFAULT 0,
    neutral      INTEGER     NOT NULL DEFAULT 0,
    positive     INTEGER     NOT NULL DEFAULT 0,
    reach        INTEGER     NOT NULL DEFAULT 0,
    press        BOOLEAN     NOT NULL DEFAULT FALSE,
    samples      TEXT        NOT NULL DEFAULT '[]',
    received_at  TIMESTAMP   NOT NULL,
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
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    brand            TEXT             NOT NULL,
    topic            TEXT             NOT NULL DEFAULT '',
    status           TEXT             NOT NULL,
    severity         TEXT             NOT NULL,
    peak_severity    TEXT             NOT NULL,
    reasons          TEXT             NOT NULL DEFAULT '[]',
    source           TEXT             NOT NULL,
    mentions         INTEGER          NOT NULL,
    expected         REAL             NOT NULL,
    multiple         REAL             NOT NULL,
    negative         INTEGER          NOT NULL DEFAULT 0,
    reach            INTEGER          NOT NULL DEFAULT 0,
    press            BOOLEAN          NOT NULL DEFAULT FALSE,
    peak_mentions    INTEGER          NOT NULL,
    samples          TEXT             NOT NULL DEFAULT '[]',
    first_window     TIMESTAMP        NOT NULL,
    last_window      TIMESTAMP        NOT NULL,
    opened_at        TIMESTAMP        NOT NULL,
    updated_at       TIMESTAMP        NOT NULL,
    resolved_at      TIMESTAMP,
    acked_by         TEXT             NOT NULL DEFAULT '',
    acked_at         TIMESTAMP,
    snoozed_by       TEXT             NOT NULL DEFAULT '',
    snoozed_until    TIMESTAMP,
    crisis_requested BOOLEAN          NOT NULL DEFAULT FALSE,
    message_channel  TEXT             NOT NULL DEFAULT '',
    message_id       TEXT             NOT NULL DEFAULT '',
    version          INTEGER          NOT NULL DEFAULT 1,
    CHECK (status IN ('active', 'resolved'))
);
CREATE UNIQUE INDEX listening_alerts_one_active ON listening_alerts (brand, topic) WHERE status = 'active';
CREATE INDEX listening_alerts_opened ON listening_alerts (opened_at DESC, id DESC);

-- The outbox: chat operations for an alert, kept until delivered. A claim
-- leases an entry until claimed_until so that two deliverers never send it
-- twice at once.
CREATE TABLE listening_outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id      INTEGER     NOT NULL REFERENCES listening_alerts (id),
    kind          TEXT        NOT NULL,
    created_at    TIMESTAMP   NOT NULL,
    attempts      INTEGER     NOT NULL DEFAULT 0,
    claimed_until TIMESTAMP,
    delivered_at  TIMESTAMP,
    last_error    TEXT        NOT NULL DEFAULT '',
    CHECK (kind IN ('notify', 'update', 'crisis'))
);
CREATE INDEX listening_outbox_pending ON listening_outbox (alert_id, id) WHERE delivered_at IS NULL;
