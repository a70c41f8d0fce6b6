-- 0007 buttons: actions of chat buttons too long to travel with the button
-- (Discord custom ids hold 100 characters), so that any replica, and a
-- restarted one, answers a click. Rows expire; saving prunes expired ones.
-- Times are TIMESTAMP columns holding UTC text (see 0001_core.sql).
CREATE TABLE buttons (
    key        TEXT      PRIMARY KEY,
    action     TEXT      NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX buttons_expires_at ON buttons (expires_at);
