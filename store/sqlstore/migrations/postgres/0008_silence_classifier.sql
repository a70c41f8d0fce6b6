-- 0008 silence and classifier: an alert whose source went quiet, and what
-- the routing classifier learns from.

-- silent_since is the end of the last window of the alert's source when its
-- card said "no data since …" (NULL while data flows); resolve_reason says
-- why an alert resolved: volume back to baseline, or its source went quiet.
ALTER TABLE listening_alerts ADD COLUMN silent_since TIMESTAMPTZ;
ALTER TABLE listening_alerts ADD COLUMN resolve_reason TEXT NOT NULL DEFAULT '';

-- confidence is the classifier's, when it chose the department (0 = it did
-- not). revision is bumped by every change of an issue, so a replica can tell
-- cheaply whether the answered issues it learnt from changed.
ALTER TABLE routed_issues ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE routed_issues ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
CREATE INDEX routed_issues_answered ON routed_issues (answered_at DESC, id DESC) WHERE answered_at IS NOT NULL;
