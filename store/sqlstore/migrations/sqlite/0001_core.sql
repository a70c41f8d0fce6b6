-- 0001 core: role assignments, the append-only decision log, durable timers.
-- Times are TIMESTAMP columns holding UTC text, 2006-01-02T15:04:05.000000Z
-- (fixed width, so text order is time order); store/sqlite binds them so.

-- One row per role, person and brand ('' = all brands). A removal leaves a
-- tombstone (removed_at) so that seeding from the configuration never brings
-- the holder back.
CREATE TABLE role_assignments (
    role        TEXT      NOT NULL,
    person      TEXT      NOT NULL,
    brand       TEXT      NOT NULL DEFAULT '',
    backup      BOOLEAN   NOT NULL DEFAULT FALSE,
    assigned_by TEXT      NOT NULL,
    assigned_at TIMESTAMP NOT NULL,
    removed_by  TEXT,
    removed_at  TIMESTAMP,
    PRIMARY KEY (role, person, brand)
);

CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT      NOT NULL,
    text       TEXT      NOT NULL,
    context    TEXT      NOT NULL DEFAULT '',
    actor      TEXT      NOT NULL,
    brand      TEXT      NOT NULL DEFAULT '',
    crisis_id  INTEGER,
    ref        TEXT      NOT NULL DEFAULT '',
    decided_at TIMESTAMP NOT NULL
);
CREATE INDEX decisions_decided_at ON decisions (decided_at DESC, id DESC);
CREATE INDEX decisions_kind ON decisions (kind, decided_at DESC);
CREATE INDEX decisions_crisis ON decisions (crisis_id, decided_at DESC) WHERE crisis_id IS NOT NULL;
CREATE INDEX decisions_ref ON decisions (ref, decided_at DESC) WHERE ref <> '';

-- The decision log is append-only: the database itself refuses to change it.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decision log is append-only');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decision log is append-only');
END;

-- Durable timers. A timer is pending until fired_at is set; a claim leases
-- it until claimed_until. Fired rows stay as history. AUTOINCREMENT keeps a
-- cancelled timer's id from being reused while its claim may be running.
CREATE TABLE timers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT      NOT NULL,
    key           TEXT      NOT NULL,
    due_at        TIMESTAMP NOT NULL,
    payload       TEXT      NOT NULL DEFAULT '',
    attempts      INTEGER   NOT NULL DEFAULT 0,
    claimed_until TIMESTAMP,
    fired_at      TIMESTAMP,
    last_error    TEXT      NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX timers_pending_key ON timers (key) WHERE fired_at IS NULL;
CREATE INDEX timers_pending_due ON timers (due_at, id) WHERE fired_at IS NULL;
