package alerts

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/interlock-coe/interlock/store"
)

// Group commit of single mentions. Concurrent IngestMentions calls of one
// replica are merged into one save: one transaction that inserts all their
// mentions, grows each window once by the sum and bumps each series'
// counter once, where separate saves would all lock the same windows and
// counters in turn. The first call saves at once, so a lone request waits
// for nobody; calls arriving meanwhile queue, and when the save commits
// the first of them saves the queue (up to maxFlushMentions) while the
// finished one judges its windows. Each call is answered after its
// mentions are saved and judged, with its own receipt.

// maxFlushMentions bounds the mentions of one merged save (a lone request
// may exceed it: it is saved alone).
const maxFlushMentions = 5000

// errFlushAborted answers the calls of a merged save that stopped without
// an answer (it panicked).
var errFlushAborted = errors.New("the merged save of these mentions stopped")

// mentionCall is one IngestMentions call waiting for its receipt.
type mentionCall struct {
	ms      []store.Mention
	wake    chan bool // true: save the next flush; false: receipt and err are set
	receipt MentionsReceipt
	err     error
}

// mentionBatcher queues the calls while a save is running.
type mentionBatcher struct {
	mu     sync.Mutex
	saving bool
	queue  []*mentionCall
}

func newMentionBatcher() *mentionBatcher { return &mentionBatcher{} }

// join queues c; true when no save is running, so c saves at once.
func (b *mentionBatcher) join(c *mentionCall) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queue = append(b.queue, c)
	if b.saving {
		return false
	}
	b.saving = true
	return true
}

// take removes the next flush from the queue: the calls in arrival order
// up to maxFlushMentions, at least one.
func (b *mentionBatcher) take() []*mentionCall {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, size := 0, 0
	for n < len(b.queue) && (n == 0 || size+len(b.queue[n].ms) <= maxFlushMentions) {
		size += len(b.queue[n].ms)
		n++
	}
	out := slices.Clone(b.queue[:n])
	b.queue = slices.Delete(b.queue, 0, n)
	return out
}

// handOff ends a save: the first queued call saves next.
func (b *mentionBatcher) handOff() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.saving = false
		return
	}
	b.queue[0].wake <- true
}

// ingestMerged saves ms with whatever other calls are queued and judges
// the windows they changed.
func (l *Listener) ingestMerged(ctx context.Context, ms []store.Mention) (MentionsReceipt, error) {
	c := &mentionCall{ms: ms, wake: make(chan bool, 1)}
	if !l.mentions.join(c) {
		if lead := <-c.wake; !lead {
			return c.receipt, c.err
		}
	}
	// c heads the queue, so it is in the flush it saves.
	l.flushMentions(ctx)
	return c.receipt, c.err
}

// flushMentions saves the queued calls as one, hands the next save over,
// judges the changed series and answers the calls. The first call is the
// caller's own, which is not woken. The save outlives its caller's
// context: it carries the other calls' mentions too.
func (l *Listener) flushMentions(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	calls := l.mentions.take()
	handed, answered := false, false
	defer func() {
		if !handed {
			l.mentions.handOff()
		}
		if !answered {
			answer(calls, nil, errFlushAborted)
		}
	}()
	var all []store.Mention
	for _, c := range calls {
		all = append(all, c.ms...)
	}
	r, series, err := l.saveMentions(ctx, all)
	l.mentions.handOff()
	handed = true
	if err == nil {
		l.judgeBatch(ctx, series)
	}
	answer(calls, r.New, err)
	answered = true
}

// answer gives each call its receipt, from the save's flags of new
// mentions (a mention sent by two calls is new for the first only), and
// wakes all but the first.
func answer(calls []*mentionCall, isNew []bool, err error) {
	off := 0
	for i, c := range calls {
		n := len(c.ms)
		if err != nil || len(isNew) < off+n {
			c.err = cmpErr(err, errFlushAborted)
		} else {
			stored := 0
			for _, fresh := range isNew[off : off+n] {
				if fresh {
					stored++
				}
			}
			c.receipt = MentionsReceipt{Stored: stored, Duplicates: n - stored}
		}
		off += n
		if i > 0 {
			c.wake <- false
		}
	}
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
