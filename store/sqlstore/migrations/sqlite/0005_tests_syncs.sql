-- 0005 tests and syncs: the shared testing sheet (/test) and the standing
-- monthly cross-functional syncs (/sync). Results and sync notes live in the
-- decision log. Times are TIMESTAMP columns holding UTC text (see 0001).

-- One row per test on the sheet. The result columns stay NULL until a
-- result is recorded; lift is NULL when variant A had no successes.
CREATE TABLE experiments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT        NOT NULL,
    hypothesis  TEXT        NOT NULL DEFAULT '',
    metric      TEXT        NOT NULL DEFAULT '',
    brand       TEXT        NOT NULL DEFAULT '',
    channel     TEXT        NOT NULL DEFAULT '',
    proposer    TEXT        NOT NULL,
    proposed_at TIMESTAMP   NOT NULL,
    status      TEXT        NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'picked', 'running', 'done', 'dropped')),
    owner       TEXT        NOT NULL DEFAULT '',
    owner_brand TEXT        NOT NULL DEFAULT '',
    picked_by   TEXT        NOT NULL DEFAULT '',
    picked_at   TIMESTAMP,
    started_at  TIMESTAMP,
    dropped_at  TIMESTAMP,
    a_successes INTEGER,
    a_trials    INTEGER,
    b_successes INTEGER,
    b_trials    INTEGER,
    lift        REAL,
    p_value     REAL,
    winner      TEXT        NOT NULL DEFAULT '' CHECK (winner IN ('', 'a', 'b')),
    verdict     TEXT        NOT NULL DEFAULT '',
    notes       TEXT        NOT NULL DEFAULT '',
    result_by   TEXT        NOT NULL DEFAULT '',
    result_at   TIMESTAMP
);
CREATE INDEX experiments_status ON experiments (status, id);

-- One vote per person and test.
CREATE TABLE experiment_votes (
    experiment_id INTEGER     NOT NULL REFERENCES experiments (id),
    person        TEXT        NOT NULL,
    voted_at      TIMESTAMP   NOT NULL,
    PRIMARY KEY (experiment_id, person)
);

-- Brands that adopted a test's winning variant, once each.
CREATE TABLE experiment_replications (
    experiment_id INTEGER     NOT NULL REFERENCES experiments (id),
    brand         TEXT        NOT NULL,
    replicated_by TEXT        NOT NULL,
    replicated_at TIMESTAMP   NOT NULL,
    PRIMARY KEY (experiment_id, brand)
);

-- The sheet's single bookkeeping row: the owner rotation over brands and
-- when the monthly pick timer is armed for.
CREATE TABLE test_sheet_state (
    id           INTEGER     PRIMARY KEY CHECK (id = 1),
    pick_turn    INTEGER     NOT NULL DEFAULT 0,
    next_pick_at TIMESTAMP
);
INSERT INTO test_sheet_state (id) VALUES (1);

-- Standing syncs, one per department. next_at is the occurrence the sync's
-- timers are armed for; facilitator_turn is the rotation position.
CREATE TABLE syncs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    department       TEXT        NOT NULL UNIQUE,
    week             INTEGER     NOT NULL CHECK (week IN (-1, 1, 2, 3, 4)),
    weekday          INTEGER     NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    clock            TEXT        NOT NULL,
    time_zone        TEXT        NOT NULL,
    duration_seconds INTEGER     NOT NULL CHECK (duration_seconds > 0),
    next_at          TIMESTAMP   NOT NULL,
    facilitator_turn INTEGER     NOT NULL DEFAULT 0,
    created_by       TEXT        NOT NULL,
    created_at       TIMESTAMP   NOT NULL
);
