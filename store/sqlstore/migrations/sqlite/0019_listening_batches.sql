-- 0019 listening at volume: a change counter per series (so each replica
-- can tell whether its in-memory baseline of a series is complete), point
-- revisions (a window fed by single mentions grows and is judged again),
-- single mentions kept for evidence and pruned after the retention, and
-- the evidence shown on an alert's card. Times are UTC text as in 0001.

-- changes counts the points of a series inserted or revised. A replica that
-- saw every change of a series keeps its baseline in memory; a count it did
-- not expect means another replica wrote, and it reads the series again.
CREATE TABLE listening_series (
    source  TEXT   NOT NULL,
    brand   TEXT   NOT NULL,
    topic   TEXT   NOT NULL,
    changes INTEGER NOT NULL,
    PRIMARY KEY (source, brand, topic)
);
INSERT INTO listening_series (source, brand, topic, changes)
    SELECT source, brand, topic, count(*) FROM listening_points GROUP BY source, brand, topic;

-- from_mentions marks windows built from POST /hooks/mentions: they grow as
-- mentions arrive (revision counts the versions); a tool's window is kept as
-- first sent.
ALTER TABLE listening_points ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE listening_points ADD COLUMN from_mentions BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per single mention, unique by source and the source's id.
-- sentiment is -1, 0 or 1.
CREATE TABLE listening_mentions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT        NOT NULL,
    mention_id  TEXT        NOT NULL,
    brand       TEXT        NOT NULL,
    topic       TEXT        NOT NULL DEFAULT '',
    at          TIMESTAMP   NOT NULL,
    sentiment   INTEGER     NOT NULL DEFAULT 0,
    text        TEXT        NOT NULL DEFAULT '',
    url         TEXT        NOT NULL DEFAULT '',
    author      TEXT        NOT NULL DEFAULT '',
    followers   INTEGER      NOT NULL DEFAULT 0,
    received_at TIMESTAMP   NOT NULL,
    UNIQUE (source, mention_id),
    CHECK (sentiment IN (-1, 0, 1))
);
CREATE INDEX listening_mentions_group ON listening_mentions (brand, topic, at);
CREATE INDEX listening_mentions_received ON listening_mentions (received_at);

ALTER TABLE listening_alerts ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}';
