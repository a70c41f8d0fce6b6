-- 0016 digests: what each scheduled digest posted per period (the message
-- and each chart), so a retried digest never posts a part twice.

CREATE TABLE digest_parts (
    digest    TEXT        NOT NULL,
    period    TEXT        NOT NULL,
    part      TEXT        NOT NULL,
    posted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (digest, period, part)
);
