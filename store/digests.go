package store

import (
	"context"
	"time"
)

// DigestPart records one thing a digest posted for one period: the message,
// or one chart. A part is recorded before it is posted (a reservation: of
// two replicas firing the same period, only the one that recorded it
// posts) and forgotten again when posting fails, so that the retry posts
// it. A digest is therefore never posted twice; a crash between recording
// and posting loses that part.
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
	// ForgetDigestPart removes a recorded part whose posting failed.
	ForgetDigestPart(ctx context.Context, digest, period, part string) error
	// DigestParts lists the parts recorded for a digest's period.
	DigestParts(ctx context.Context, digest, period string) ([]string, error)
}
