package content

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/store"
)

// Draft is text another feature has approved through content approvals (a
// reply template's version, say). Approvers see Body itself; the feature
// reads the outcome from the item's status, so content needs to know
// nothing about it.
type Draft struct {
	Title       string
	Body        string
	Sensitivity string // a configured level
	Brand       string // "" = all brands
	By          string
}

// Submit starts the approval of a draft, as /content submit does, and
// returns the item and a line saying whom each first stage asked.
func Submit(ctx context.Context, d commands.Deps, dr Draft) (store.ContentItem, string, error) {
	h := &handlers{d}
	sens, ok := d.Config.ContentLevel(dr.Sensitivity)
	if !ok {
		return store.ContentItem{}, "", bot.Errorf(bot.EInvalid, "unknown sensitivity %q; use one of %s", dr.Sensitivity, strings.Join(d.Config.ContentLevels(), ", "))
	}
	now := d.Clock.Now()
	it := store.ContentItem{
		Title: dr.Title, Body: dr.Body, Brand: dr.Brand, Sensitivity: sens.Level,
		SubmittedBy: dr.By, SubmittedAt: now, Version: 1, Status: store.ContentInReview,
	}
	for i, cs := range sens.Chain(false) {
		st := store.ContentStage{Position: i, Name: cs.Name, Roles: cs.Approvers, Quorum: cs.Quorum, Target: cs.Target, Status: store.StageWaiting}
		if i == 0 {
			st.Status, st.StartedAt = store.StagePending, now
		}
		it.Stages = append(it.Stages, st)
	}
	it, err := d.Store.SubmitContent(ctx, it, h.entry(it, now, dr.By, "submitted", "", "text submitted"), h.firstTimers)
	if err != nil {
		return it, "", fmt.Errorf("submit %q for approval: %w", dr.Title, err)
	}
	asked, err := h.ask(ctx, it, pending(it))
	return it, asked, err
}

// Withdraw withdraws an open item on behalf of a feature (a template
// version replaced by a newer one); a decided item is left as it is.
func Withdraw(ctx context.Context, d commands.Deps, id int64, by, why string) error {
	h := &handlers{d}
	now := d.Clock.Now()
	_, err := d.Store.UpdateContent(ctx, id, func(u *store.ContentUpdate) error {
		it := &u.Item
		if it.Status != store.ContentInReview && it.Status != store.ContentChanges {
			return nil
		}
		it.Status, it.DecidedAt = store.ContentWithdrawn, now
		u.Trail = append(u.Trail, h.entry(*it, now, by, "withdrawn", "", why))
		return nil
	})
	if err != nil {
		return fmt.Errorf("withdraw content %d: %w", id, err)
	}
	return nil
}
