package store

import (
	"context"
	"time"
)

// DigestPart records one thing a digest posted for one period: the message,
// or one chart. A digest that fails half-way is retried, and the parts
// already recorded are not posted again.
type DigestPart struct {
	Digest   string // digest name, e.g. "exec"
	Period   string // the occurrence it is for, e.g. "2027-04-05"
	Part     string // "message" or a chart's file name
	PostedAt time.Time
}

// Digests keeps what each digest posted per period.
type Digests interface {
	// RecordDigestPart stores p; recorded is false when the same digest,
	// period and part were recorded already (nothing changes then).
	RecordDigestPart(ctx context.Context, p DigestPart) (recorded bool, err error)
	// DigestParts lists the parts recorded for a digest's period.
	DigestParts(ctx context.Context, digest, period string) ([]string, error)
}
