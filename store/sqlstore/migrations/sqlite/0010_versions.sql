-- 0010 versions: optimistic concurrency for rows that commands read, change
-- and write back. Every write of a crisis or a sync's progress bumps
-- version and is conditional on the version that was read, so two replicas
-- changing one row at once cannot both win (see store.ErrStale).

ALTER TABLE crises ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE syncs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
