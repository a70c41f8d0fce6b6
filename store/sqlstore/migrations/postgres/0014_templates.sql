-- 0014 reply templates: named answers of a department, each version
-- approved through a content item (its status is the version's), and the
-- template a routed issue's answer was filled from.

CREATE TABLE templates (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE,
    department  TEXT        NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    retired_by  TEXT        NOT NULL DEFAULT '',
    retired_at  TIMESTAMPTZ
);

CREATE TABLE template_versions (
    template_id BIGINT      NOT NULL REFERENCES templates (id),
    version     INTEGER     NOT NULL,
    text        TEXT        NOT NULL,
    content_id  BIGINT      NOT NULL REFERENCES content_items (id),
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (template_id, version)
);

ALTER TABLE routed_issues ADD COLUMN answer_template TEXT NOT NULL DEFAULT '';
ALTER TABLE routed_issues ADD COLUMN answer_template_version INTEGER NOT NULL DEFAULT 0;

-- Content that is text rather than a link (a template version) keeps it here.
ALTER TABLE content_items ADD COLUMN body TEXT NOT NULL DEFAULT '';
