-- 0012 content: items going through their approval chain by sensitivity,
-- the chain's stages, the approvers' answers per version, and the
-- append-only trail. Zero times are NULL.

CREATE TABLE content_items (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title              TEXT        NOT NULL,
    link               TEXT        NOT NULL,
    brand              TEXT        NOT NULL DEFAULT '',
    channel            TEXT        NOT NULL DEFAULT '',
    sensitivity        TEXT        NOT NULL,
    submitted_by       TEXT        NOT NULL,
    submitted_at       TIMESTAMPTZ NOT NULL,
    publish_at         TIMESTAMPTZ,
    fast_track         BOOLEAN     NOT NULL DEFAULT FALSE,
    fast_track_reason  TEXT        NOT NULL DEFAULT '',
    version            INTEGER     NOT NULL DEFAULT 1,
    status             TEXT        NOT NULL,
    decided_at         TIMESTAMPTZ,
    deadline_warned_at TIMESTAMPTZ,
    CHECK (status IN ('in-review', 'changes-requested', 'approved', 'rejected', 'withdrawn'))
);
CREATE INDEX content_items_open ON content_items (id DESC) WHERE status IN ('in-review', 'changes-requested');
CREATE INDEX content_items_decided ON content_items (decided_at) WHERE decided_at IS NOT NULL;

CREATE TABLE content_stages (
    item_id        BIGINT      NOT NULL REFERENCES content_items (id),
    position       INTEGER     NOT NULL,
    name           TEXT        NOT NULL,
    roles          TEXT        NOT NULL,
    quorum         INTEGER     NOT NULL,
    target_seconds BIGINT      NOT NULL,
    status         TEXT        NOT NULL,
    started_at     TIMESTAMPTZ,
    decided_at     TIMESTAMPTZ,
    reminded_at    TIMESTAMPTZ,
    escalated_at   TIMESTAMPTZ,
    PRIMARY KEY (item_id, position),
    CHECK (status IN ('waiting', 'pending', 'approved', 'rejected'))
);

-- One answer per person, stage and version: a second click is a conflict.
CREATE TABLE content_answers (
    item_id  BIGINT      NOT NULL REFERENCES content_items (id),
    position INTEGER     NOT NULL,
    version  INTEGER     NOT NULL,
    person   TEXT        NOT NULL,
    role     TEXT        NOT NULL DEFAULT '',
    verdict  TEXT        NOT NULL,
    comment  TEXT        NOT NULL DEFAULT '',
    at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (item_id, position, version, person),
    CHECK (verdict IN ('approve', 'changes', 'reject'))
);

CREATE TABLE content_trail (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id BIGINT      NOT NULL REFERENCES content_items (id),
    at      TIMESTAMPTZ NOT NULL,
    actor   TEXT        NOT NULL DEFAULT '',
    action  TEXT        NOT NULL,
    stage   TEXT        NOT NULL DEFAULT '',
    version INTEGER     NOT NULL,
    text    TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX content_trail_item ON content_trail (item_id, id);

-- The trail is append-only, like the decision log.
CREATE FUNCTION content_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'content trail is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER content_trail_no_update_delete BEFORE UPDATE OR DELETE ON content_trail
    FOR EACH STATEMENT EXECUTE FUNCTION content_trail_append_only();
CREATE TRIGGER content_trail_no_truncate BEFORE TRUNCATE ON content_trail
    FOR EACH STATEMENT EXECUTE FUNCTION content_trail_append_only();
