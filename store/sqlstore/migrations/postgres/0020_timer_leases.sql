-- 0020 timer leases: the scheduler asks, before each sleep, when the next
-- pending timer can be claimed: its due time, or the end of its lease.
-- Leases are few (timers being fired); this index keeps the lease half of
-- that question off a scan of every pending timer.

CREATE INDEX timers_pending_lease ON timers (claimed_until)
    WHERE fired_at IS NULL AND claimed_until IS NOT NULL;
