package crisis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

// changeAttempts bounds how often a change is read again and retried after
// losing a race; each lost race means another change was written, so the
// bound is only reached under a burst of changes to one crisis.
const changeAttempts = 10

// errNoChange tells change that the re-read crisis needs no write (the
// first status is already stamped, say); change then returns it as read.
var errNoChange = errors.New("nothing to change")

// change reads crisis id, lets edit turn it into an update, and writes it
// version-checked with what goes with it (timeline, decisions, timers) in
// one transaction. When another replica wrote the crisis first it reads it
// again and edits afresh, so edit re-validates against the current state
// ("already resolved") each time. edit must do no I/O.
func (h *handlers) change(ctx context.Context, id int64, edit func(cr store.Crisis) (store.CrisisUpdate, error)) (store.Crisis, error) {
	var err error
	for range changeAttempts {
		var cr store.Crisis
		if cr, err = h.crises.Crisis(ctx, id); err != nil {
			return cr, fmt.Errorf("load crisis %d: %w", id, err)
		}
		u, editErr := edit(cr)
		if errors.Is(editErr, errNoChange) {
			return cr, nil
		}
		if editErr != nil {
			return cr, editErr
		}
		u.Crisis.ID, u.Crisis.Version = cr.ID, cr.Version
		cr, err = h.crises.UpdateCrisis(ctx, u)
		if !errors.Is(err, store.ErrStale) {
			return cr, err
		}
	}
	return store.Crisis{}, fmt.Errorf("change crisis %d: %w", id, err)
}

// mustBeOpen refuses a change to a resolved crisis.
func mustBeOpen(cr store.Crisis) error {
	if cr.Status != store.CrisisOpen {
		return bot.Errorf(bot.EConflict, "crisis %s is already resolved", bot.FormatID(cr.ID))
	}
	return nil
}

// entry is a timeline entry of the crisis being changed.
func (h *handlers) entry(actor, kind, text string) store.TimelineEntry {
	return store.TimelineEntry{At: h.Clock.Now(), Actor: actor, Kind: kind, Text: text}
}

// checkInTimer is the crisis's next check-in, armed with the change that
// calls for it.
func checkInTimer(id int64, due time.Time) bot.Timer {
	body, _ := json.Marshal(crisisRef{id}) // a struct of one int64 always marshals
	return bot.Timer{Kind: timerCheckIn, Key: checkInKey(id), Due: due, Payload: string(body)}
}
