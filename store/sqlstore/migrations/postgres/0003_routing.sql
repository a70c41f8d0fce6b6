-- 0003 routing: customer issues routed to departments, with every time the
-- response-time KPIs need and the state of the answer's way back to the
-- social inbox. Zero times are NULL.

CREATE TABLE routed_issues (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    received_at       TIMESTAMPTZ NOT NULL,
    routed_at         TIMESTAMPTZ NOT NULL,
    due_at            TIMESTAMPTZ NOT NULL,
    post_channel      TEXT        NOT NULL DEFAULT '',
    post_id           TEXT        NOT NULL DEFAULT '',
    posted_at         TIMESTAMPTZ,
    reminded_at       TIMESTAMPTZ,
    escalated_at      TIMESTAMPTZ,
    claimed_by        TEXT        NOT NULL DEFAULT '',
    claimed_at        TIMESTAMPTZ,
    answered_by       TEXT        NOT NULL DEFAULT '',
    answered_at       TIMESTAMPTZ,
    reply             TEXT        NOT NULL DEFAULT '',
    resolved_by       TEXT        NOT NULL DEFAULT '',
    resolved_at       TIMESTAMPTZ,
    delivery          TEXT        NOT NULL DEFAULT '',
    delivery_attempts INTEGER     NOT NULL DEFAULT 0,
    delivery_error    TEXT        NOT NULL DEFAULT '',
    delivered_at      TIMESTAMPTZ,
    CHECK (status IN ('open', 'claimed', 'answered', 'resolved')),
    CHECK (delivery IN ('', 'pending', 'sent')),
    CHECK ((source = '') = (external_id = ''))
);
-- A message from an inbox is stored once, however often it is delivered.
CREATE UNIQUE INDEX routed_issues_external ON routed_issues (source, external_id) WHERE source <> '';
CREATE INDEX routed_issues_unresolved ON routed_issues (id DESC) WHERE status <> 'resolved';
CREATE INDEX routed_issues_received ON routed_issues (received_at, id);
