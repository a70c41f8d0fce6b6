-- 0015 requests: service requests placed against the catalogue, and the
-- capacity each service's weeks have taken. Zero times are NULL; times are
-- UTC text as in 0001.

CREATE TABLE service_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    service      TEXT        NOT NULL,
    details      TEXT        NOT NULL,
    fields       TEXT        NOT NULL DEFAULT '{}',
    requested_by TEXT        NOT NULL,
    requested_at TIMESTAMP   NOT NULL,
    week         TEXT        NOT NULL,
    queued       BOOLEAN     NOT NULL DEFAULT FALSE,
    due_at       TIMESTAMP   NOT NULL,
    status       TEXT        NOT NULL,
    claimed_by   TEXT        NOT NULL DEFAULT '',
    claimed_at   TIMESTAMP,
    note         TEXT        NOT NULL DEFAULT '',
    note_at      TIMESTAMP,
    done_at      TIMESTAMP,
    link         TEXT        NOT NULL DEFAULT '',
    reason       TEXT        NOT NULL DEFAULT '',
    reminded_at  TIMESTAMP,
    late_at      TIMESTAMP,
    CHECK (status IN ('open', 'done', 'cancelled'))
);
CREATE INDEX service_requests_open ON service_requests (due_at) WHERE status = 'open';
CREATE INDEX service_requests_requested ON service_requests (requested_at);

-- One row per service and week: how many of its requests the week holds.
-- Taking a slot is one conditional upsert, so two replicas never both take
-- the last one.
CREATE TABLE service_weeks (
    service TEXT    NOT NULL,
    week    TEXT    NOT NULL,
    taken   INTEGER NOT NULL,
    PRIMARY KEY (service, week),
    CHECK (taken >= 0)
);
