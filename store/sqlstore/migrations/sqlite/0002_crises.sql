-- 0002 crises: incident rooms, the steps of opening them, their members,
-- timelines, and the responses proposed for approval with their votes.
-- Zero times are NULL; times are TIMESTAMP columns holding UTC text (see
-- 0001_core.sql).

CREATE TABLE crises (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    brand             TEXT        NOT NULL DEFAULT '',
    title             TEXT        NOT NULL,
    severity          TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    opened_by         TEXT        NOT NULL,
    opened_at         TIMESTAMP   NOT NULL,
    room_id           TEXT        NOT NULL DEFAULT '',
    room_name         TEXT        NOT NULL DEFAULT '',
    brief_channel     TEXT        NOT NULL DEFAULT '',
    brief_id          TEXT        NOT NULL DEFAULT '',
    assembled_at      TIMESTAMP,
    first_status_at   TIMESTAMP,
    first_approved_at TIMESTAMP,
    last_checkin_at   TIMESTAMP,
    resolved_at       TIMESTAMP,
    resolved_by       TEXT        NOT NULL DEFAULT '',
    summary           TEXT        NOT NULL DEFAULT '',
    missing           TEXT        NOT NULL DEFAULT '',
    CHECK (status IN ('open', 'resolved'))
);
-- One open crisis per brand and title, whatever its case, so that two
-- replicas opening the same crisis at once make one.
CREATE UNIQUE INDEX crises_open_title ON crises (brand, lower(title)) WHERE status = 'open';
CREATE INDEX crises_room ON crises (room_id) WHERE room_id <> '';
CREATE INDEX crises_opened ON crises (opened_at DESC, id DESC);

-- The steps of opening a crisis room, in the order they were given.
CREATE TABLE crisis_steps (
    crisis_id  INTEGER     NOT NULL REFERENCES crises (id),
    name       TEXT        NOT NULL,
    position   INTEGER     NOT NULL,
    done       BOOLEAN     NOT NULL DEFAULT FALSE,
    attempts   INTEGER     NOT NULL DEFAULT 0,
    last_error TEXT        NOT NULL DEFAULT '',
    updated_at TIMESTAMP   NOT NULL,
    PRIMARY KEY (crisis_id, name)
);

CREATE TABLE crisis_members (
    crisis_id  INTEGER     NOT NULL REFERENCES crises (id),
    person     TEXT        NOT NULL,
    role       TEXT        NOT NULL DEFAULT '',
    invited_at TIMESTAMP   NOT NULL,
    PRIMARY KEY (crisis_id, person)
);

CREATE TABLE crisis_timeline (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    crisis_id INTEGER     NOT NULL REFERENCES crises (id),
    at        TIMESTAMP   NOT NULL,
    actor     TEXT        NOT NULL DEFAULT '',
    kind      TEXT        NOT NULL,
    text      TEXT        NOT NULL
);
CREATE INDEX crisis_timeline_crisis ON crisis_timeline (crisis_id, at, id);

-- Responses awaiting approval. approver_roles is the roles joined by commas.
CREATE TABLE crisis_proposals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    crisis_id      INTEGER     NOT NULL REFERENCES crises (id),
    text           TEXT        NOT NULL,
    proposed_by    TEXT        NOT NULL,
    proposed_at    TIMESTAMP   NOT NULL,
    approver_roles TEXT        NOT NULL DEFAULT '',
    quorum         INTEGER     NOT NULL,
    status         TEXT        NOT NULL,
    decided_at     TIMESTAMP,
    CHECK (status IN ('pending', 'approved', 'rejected'))
);
CREATE INDEX crisis_proposals_crisis ON crisis_proposals (crisis_id, id);

-- One vote per person and proposal.
CREATE TABLE proposal_votes (
    proposal_id INTEGER     NOT NULL REFERENCES crisis_proposals (id),
    person      TEXT        NOT NULL,
    role        TEXT        NOT NULL DEFAULT '',
    approve     BOOLEAN     NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    at          TIMESTAMP   NOT NULL,
    PRIMARY KEY (proposal_id, person)
);
