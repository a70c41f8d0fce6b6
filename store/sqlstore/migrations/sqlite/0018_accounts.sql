-- 0018 accounts: the social account inventory, who has access to each
-- account, the courses people completed, and each account's append-only
-- history. A removed account keeps its row (removed_at set), so a network
-- and handle is unique only among accounts still in the inventory. Times
-- are UTC text as in 0001.

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    network             TEXT        NOT NULL,
    handle              TEXT        NOT NULL,
    brand               TEXT        NOT NULL,
    owner               TEXT        NOT NULL,
    backup              TEXT        NOT NULL DEFAULT '',
    dept                TEXT        NOT NULL DEFAULT '',
    url                 TEXT        NOT NULL DEFAULT '',
    two_factor          BOOLEAN     NOT NULL DEFAULT FALSE,
    last_post_at        TIMESTAMP,
    last_review_at      TIMESTAMP,
    review_started_at   TIMESTAMP,
    review_reminded_at  TIMESTAMP,
    review_escalated_at TIMESTAMP,
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMP   NOT NULL,
    removed_by          TEXT        NOT NULL DEFAULT '',
    removed_at          TIMESTAMP
);
CREATE UNIQUE INDEX accounts_network_handle ON accounts (network, LOWER(handle)) WHERE removed_at IS NULL;

CREATE TABLE account_access (
    account_id INTEGER     NOT NULL REFERENCES accounts (id),
    person     TEXT        NOT NULL,
    level      TEXT        NOT NULL,
    granted_by TEXT        NOT NULL,
    granted_at TIMESTAMP   NOT NULL,
    mark       TEXT        NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, person),
    CHECK (level IN ('admin', 'publisher', 'viewer')),
    CHECK (mark IN ('', 'keep', 'revoke'))
);
CREATE INDEX account_access_person ON account_access (person);

CREATE TABLE trainings (
    person      TEXT        NOT NULL,
    course      TEXT        NOT NULL,
    completed   TIMESTAMP   NOT NULL,
    recorded_by TEXT        NOT NULL,
    PRIMARY KEY (person, course)
);

CREATE TABLE account_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER     NOT NULL REFERENCES accounts (id),
    at         TIMESTAMP   NOT NULL,
    actor      TEXT        NOT NULL DEFAULT '',
    action     TEXT        NOT NULL,
    text       TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX account_history_account ON account_history (account_id, id);

-- The history is append-only, like the decision log.
CREATE TRIGGER account_history_no_update BEFORE UPDATE ON account_history
BEGIN
    SELECT RAISE(ABORT, 'account history is append-only');
END;
CREATE TRIGGER account_history_no_delete BEFORE DELETE ON account_history
BEGIN
    SELECT RAISE(ABORT, 'account history is append-only');
END;
