-- 0003 routing: customer issues routed to departments, with every time the
-- response-time KPIs need and the state of the answer's way back to the
-- social inbox. Zero times are NULL; times are TIMESTAMP columns holding UTC
-- text (see 0001_core.sql).

CREATE TABLE routed_issues (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    source            TEXT        NOT NULL DEFAULT '',
    external_id       TEXT        NOT NULL DEFAULT '',
    brand             TEXT        NOT NULL DEFAULT '',
    platform          TEXT        NOT NULL DEFAULT '',
    author            TEXT        NOT NULL DEFAULT '',
    text              TEXT        NOT NULL,
    url               TEXT        NOT NULL DEFAULT '',
    department        TEXT        NOT NULL,
    rule_name         TEXT        NOT NULL DEFAULT '',
    keyword           TEXT        NOT NULL DEFAULT '',
    chosen_by         TEXT        NOT NULL DEFAULT '',
    routed_by         TEXT        NOT NULL DEFAULT '',
    status            TEXT        NOT NULL,
    received_at       TIMESTAMP   NOT NULL,
    routed_at         TIMESTAMP   NOT NULL,
    due_at            TIMESTAMP   NOT NULL,
    post_channel      TEXT        NOT NULL DEFAULT '',
    post_id           TEXT        NOT NULL DEFAULT '',
    posted_at         TIMESTAMP  ,
    reminded_at       TIMESTAMP  ,
    escalated_at      TIMESTAMP  ,
    claimed_by        TEXT        NOT NULL DEFAULT '',
    claimed_at        TIMESTAMP  ,
    answered_by       TEXT        NOT NULL DEFAULT '',
    answered_at       TIMESTAMP  ,
    reply             TEXT        NOT NULL DEFAULT '',
    resolved_by       TEXT        NOT NULL DEFAULT '',
    resolved_at       TIMESTAMP  ,
    delivery          TEXT        NOT NULL DEFAULT '',
    delivery_attempts INTEGER     NOT NULL DEFAULT 0,
    delivery_error    TEXT        NOT NULL DEFAULT '',
    delivered_at      TIMESTAMP  ,
    CHECK (status IN ('open', 'claimed', 'answered', 'resolved')),
    CHECK (delivery IN ('', 'pending', 'sent')),
    CHECK ((source = '') = (external_id = ''))
);
-- A message from an inbox is stored once, however often it is delivered.
CREATE UNIQUE INDEX routed_issues_external ON routed_issues (source, external_id) WHERE source <> '';
CREATE INDEX routed_issues_unresolved ON routed_issues (id DESC) WHERE status <> 'resolved';
CREATE INDEX routed_issues_received ON routed_issues (received_at, id);
