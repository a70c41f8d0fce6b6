package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// rawExec runs a statement on the bot's own database (sqlstore.Store).
type rawExec interface {
	ExecRaw(ctx context.Context, sql string) error
}

// ceilingBatch is the rows of one INSERT of the ceiling.
const ceilingBatch = 100

// insertCeiling measures the database's own rate of multi-row INSERTs into
// listening_points — the same table, unique key and ON CONFLICT as
// ingestion, with no HTTP, decoding or judging — by listenSenders at once,
// rows in all: the ceiling beside each ingestion figure.
func insertCeiling(ctx context.Context, db rawExec, rows int) listenResult {
	var (
		lat   Latencies
		next  atomic.Int64
		errs  atomic.Int64
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	batches := int64((rows + ceilingBatch - 1) / ceilingBatch)
	base := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	for range listenSenders {
		wg.Go(func() {
			for b := next.Add(1) - 1; b < batches; b = next.Add(1) - 1 {
				t0 := time.Now()
				if err := db.ExecRaw(ctx, ceilingInsert(base, b)); err != nil {
					errs.Add(1)
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
					continue
				}
				lat.Add(time.Since(t0))
			}
		})
	}
	wg.Wait()
	return listenResult{phase: "ceiling: DB multi-row INSERT", points: int(batches) * ceilingBatch, stored: batches * ceilingBatch,
		elapsed: time.Since(start), batch: lat.Summary(), errors: errs.Load(), first: first}
}

// ceilingInsert is batch b's statement, with literal values (timestamps
// as ISO text, which both databases take for their time columns).
func ceilingInsert(base time.Time, b int64) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO listening_points (source, brand, topic, window_start, window_end,
		mentions, negative, neutral, positive, reach, press, samples, received_at) VALUES `)
	for i := range int64(ceilingBatch) {
		if i > 0 {
			sb.WriteString(", ")
		}
		end := base.Add(time.Duration(b*ceilingBatch+i+1) * time.Hour)
		fmt.Fprintf(&sb, "('ceiling', 'acme', 'topic %d', '%s', '%s', 400, 80, 240, 80, 120000, FALSE, '[]', '%s')",
			i%50, end.Add(-time.Hour).Format(ceilingTime), end.Format(ceilingTime), base.Format(ceilingTime))
	}
	sb.WriteString(" ON CONFLICT (source, brand, topic, window_start, window_end) DO NOTHING")
	return sb.String()
}

// ceilingTime is how the SQLite store writes times; PostgreSQL reads it as
// ISO 8601.
const ceilingTime = "2006-01-02T15:04:05.000000Z"
