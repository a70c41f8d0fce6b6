-- 0011 confidential: a crisis opened with --confidential hides even its
-- title from people outside its room (see commands/privacy). It is set when
-- the crisis is made and never changes.
ALTER TABLE crises ADD COLUMN confidential BOOLEAN NOT NULL DEFAULT FALSE;
