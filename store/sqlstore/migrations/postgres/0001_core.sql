-- 0001 core: role assignments, the append-only decision log, durable timers.

-- One row per role, person and brand ('' = all brands). A removal leaves a
-- tombstone (removed_at) so that seeding from the configuration never brings
-- the holder back.
CREATE TABLE role_assignments (
    role        TEXT        NOT NULL,
    person      TEXT        NOT NULL,
    brand       TEXT        NOT NULL DEFAULT '',
    backup      BOOLEAN     NOT NULL DEFAULT FALSE,
    assigned_by TEXT        NOT NULL,
    assigned_at TIMESTAMPTZ NOT NULL,
    removed_by  TEXT,
    removed_at  TIMESTAMPTZ,
    PRIMARY KEY (role, person, brand)
);

CREATE TABLE decisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT        NOT NULL,
    text       TEXT        NOT NULL,
    context    TEXT        NOT NULL DEFAULT '',
    actor      TEXT        NOT NULL,
    brand      TEXT        NOT NULL DEFAULT '',
    crisis_id  BIGINT,
    ref        TEXT        NOT NULL DEFAULT '',
    decided_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX decisions_decided_at ON decisions (decided_at DESC, id DESC);
CREATE INDEX decisions_kind ON decisions (kind, decided_at DESC);
CREATE INDEX decisions_crisis ON decisions (crisis_id, decided_at DESC) WHERE crisis_id IS NOT NULL;
CREATE INDEX decisions_ref ON decisions (ref, decided_at DESC) WHERE ref <> '';

-- The decision log is append-only: the database itself refuses to change it.
CREATE FUNCTION decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'decision log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER decisions_no_update_delete BEFORE UPDATE OR DELETE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_append_only();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION decisions_append_only();

-- Durable timers. A timer is pending until fired_at is set; a claim leases
-- it until claimed_until. Fired rows stay as history.
CREATE TABLE timers (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT        NOT NULL,
    key           TEXT        NOT NULL,
    due_at        TIMESTAMPTZ NOT NULL,
    payload       TEXT        NOT NULL DEFAULT '',
    attempts      INTEGER     NOT NULL DEFAULT 0,
    claimed_until TIMESTAMPTZ,
    fired_at      TIMESTAMPTZ,
    last_error    TEXT        NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX timers_pending_key ON timers (key) WHERE fired_at IS NULL;
CREATE INDEX timers_pending_due ON timers (due_at, id) WHERE fired_at IS NULL;
