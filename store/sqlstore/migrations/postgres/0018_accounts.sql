-- 0018 accounts: the social account inventory, who has access to each
-- account, the courses people completed, and each account's append-only
-- history. A removed account keeps its row (removed_at set), so a network
-- and handle is unique only among accounts still in the inventory.

CREATE TABLE accounts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    network             TEXT        NOT NULL,
    handle              TEXT        NOT NULL,
    brand               TEXT        NOT NULL,
    owner               TEXT        NOT NULL,
    backup              TEXT        NOT NULL DEFAULT '',
    dept                TEXT        NOT NULL DEFAULT '',
    url                 TEXT        NOT NULL DEFAULT '',
    two_factor          BOOLEAN     NOT NULL DEFAULT FALSE,
    last_post_at        TIMESTAMPTZ,
    last_review_at      TIMESTAMPTZ,
    review_started_at   TIMESTAMPTZ,
    review_reminded_at  TIMESTAMPTZ,
    review_escalated_at TIMESTAMPTZ,
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    removed_by          TEXT        NOT NULL DEFAULT '',
    removed_at          TIMESTAMPTZ
);
CREATE UNIQUE INDEX accounts_network_handle ON accounts (network, LOWER(handle)) WHERE removed_at IS NULL;

CREATE TABLE account_access (
    account_id BIGINT      NOT NULL REFERENCES accounts (id),
    person     TEXT        NOT NULL,
    level      TEXT        NOT NULL,
    granted_by TEXT        NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    mark       TEXT        NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, person),
    CHECK (level IN ('admin', 'publisher', 'viewer')),
    CHECK (mark IN ('', 'keep', 'revoke'))
);
CREATE INDEX account_access_person ON account_access (person);

CREATE TABLE trainings (
    person      TEXT        NOT NULL,
    course      TEXT        NOT NULL,
    completed   TIMESTAMPTZ NOT NULL,
    recorded_by TEXT        NOT NULL,
    PRIMARY KEY (person, course)
);

CREATE TABLE account_history (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT      NOT NULL REFERENCES accounts (id),
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT        NOT NULL DEFAULT '',
    action     TEXT        NOT NULL,
    text       TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX account_history_account ON account_history (account_id, id);

-- The history is append-only, like the decision log.
CREATE FUNCTION account_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'account history is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER account_history_no_update_delete BEFORE UPDATE OR DELETE ON account_history
    FOR EACH ROW EXECUTE FUNCTION account_history_append_only();
