package content

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) list(ctx context.Context, c *bot.Context) error {
	filters := 0
	for _, f := range []string{"mine", "waiting-on-me", "stage", "late"} {
		if c.Args.Has(f) {
			filters++
		}
	}
	if filters > 1 {
		return bot.Errorf(bot.EInvalid, "use one of --mine, --waiting-on-me, --stage S, --late")
	}
	q := store.ContentQuery{Open: true, Limit: 100}
	if c.Args.Has("mine") {
		q = store.ContentQuery{SubmittedBy: c.User, Limit: 50}
	}
	items, err := h.Store.ListContent(ctx, q)
	if err != nil {
		return fmt.Errorf("list content: %w", err)
	}
	now := h.Clock.Now()
	keep, err := h.filter(ctx, c, now)
	if err != nil {
		return err
	}
	var lines []string
	for _, it := range items {
		ok, err := keep(it)
		if err != nil {
			return err
		}
		if ok {
			lines = append(lines, "  "+h.line(it, now))
		}
	}
	if len(lines) == 0 {
		return c.Privatef("No content items match.")
	}
	return c.Private(bot.Message{Text: "Content items (newest first):\n" + strings.Join(lines, "\n")})
}

// filter returns the test of list's option.
func (h *handlers) filter(ctx context.Context, c *bot.Context, now time.Time) (func(store.ContentItem) (bool, error), error) {
	switch {
	case c.Args.Has("stage"):
		name := strings.ToLower(c.Args.Flag("stage"))
		return func(it store.ContentItem) (bool, error) {
			return slices.ContainsFunc(pending(it), func(st store.ContentStage) bool { return st.Name == name }), nil
		}, nil
	case c.Args.Has("late"):
		return func(it store.ContentItem) (bool, error) { return late(it, now), nil }, nil
	case c.Args.Has("waiting-on-me"):
		return func(it store.ContentItem) (bool, error) { return h.waitsOn(ctx, it, c.User) }, nil
	}
	return func(store.ContentItem) (bool, error) { return true, nil }, nil
}

// late reports whether an open item has a stage past its target or has
// passed its publish time.
func late(it store.ContentItem, now time.Time) bool {
	if it.Status != store.ContentInReview && it.Status != store.ContentChanges {
		return false
	}
	if !it.PublishAt.IsZero() && now.After(it.PublishAt) {
		return true
	}
	return it.Status == store.ContentInReview && slices.ContainsFunc(pending(it), func(st store.ContentStage) bool { return untilDue(st, now) < 0 })
}

// waitsOn reports whether person may answer one of the item's stages now.
func (h *handlers) waitsOn(ctx context.Context, it store.ContentItem, person string) (bool, error) {
	if it.Status != store.ContentInReview {
		return false, nil
	}
	held, err := h.heldRoles(ctx, it, person)
	if err != nil {
		return false, err
	}
	answers, err := h.Store.ContentAnswers(ctx, it.ID)
	if err != nil {
		return false, fmt.Errorf("answers on content %d: %w", it.ID, err)
	}
	for _, st := range pending(it) {
		if _, err := h.ballot(it, st, answers).Check(person, held[st.Position]); err == nil {
			return true, nil
		}
	}
	return false, nil
}

// line is one item in a list.
func (h *handlers) line(it store.ContentItem, now time.Time) string {
	s := fmt.Sprintf("%s %s [%s] by @%s — %s", bot.FormatID(it.ID), it.Title, it.Sensitivity, it.SubmittedBy, it.Status)
	if it.Status == store.ContentInReview {
		var parts []string
		for _, st := range pending(it) {
			left := untilDue(st, now)
			if left < 0 {
				parts = append(parts, fmt.Sprintf("%s (%s late)", st.Name, bot.FormatDuration(-left)))
			} else {
				parts = append(parts, fmt.Sprintf("%s (%s left)", st.Name, bot.FormatDuration(left)))
			}
		}
		s += ", waiting on " + strings.Join(parts, " + ")
	}
	if it.Version > 1 {
		s += fmt.Sprintf(", v%d", it.Version)
	}
	if !it.PublishAt.IsZero() {
		s += ", publish " + h.stamp(it.PublishAt)
	}
	if it.FastTrack {
		s += ", fast-tracked"
	}
	return s
}

func (h *handlers) show(ctx context.Context, c *bot.Context) error {
	it, err := h.item(ctx, c)
	if err != nil {
		return err
	}
	trail, err := h.Store.ContentTrail(ctx, it.ID)
	if err != nil {
		return fmt.Errorf("trail of content %d: %w", it.ID, err)
	}
	now := h.Clock.Now()
	var fields []bot.Field
	fields = append(fields, bot.Field{Title: "Status", Value: fmt.Sprintf("%s, version %d", it.Status, it.Version)})
	if it.Link != "" {
		fields = append(fields, bot.Field{Title: "Link", Value: it.Link})
	} else {
		fields = append(fields, bot.Field{Title: "Text", Value: it.Body})
	}
	if it.Brand != "" || it.Channel != "" {
		fields = append(fields, bot.Field{Title: "Brand / channel", Value: strings.Trim(it.Brand+" / "+it.Channel, " /")})
	}
	if !it.PublishAt.IsZero() {
		fields = append(fields, bot.Field{Title: "Publish at", Value: h.stamp(it.PublishAt)})
	}
	if it.FastTrack {
		fields = append(fields, bot.Field{Title: "Fast-tracked", Value: it.FastTrackReason})
	}
	var stages []string
	for _, st := range it.Stages {
		s := fmt.Sprintf("%d. %s (%s, quorum %d, target %s): %s", st.Position+1, st.Name, strings.Join(st.Roles, "/"),
			st.Quorum, bot.FormatDuration(st.Target), st.Status)
		if st.Status == store.StagePending && it.Status == store.ContentInReview {
			s += ", " + bot.FormatDuration(now.Sub(st.StartedAt)) + " so far"
		}
		stages = append(stages, s)
	}
	fields = append(fields, bot.Field{Title: "Stages", Value: strings.Join(stages, "\n")})
	lines := make([]string, 0, len(trail))
	for _, e := range trail {
		lines = append(lines, h.trailLine(e))
	}
	fields = append(fields, bot.Field{Title: "Trail", Value: strings.Join(lines, "\n")})
	return c.Private(bot.Message{Title: fmt.Sprintf("Content %s (%s): %s — by @%s", bot.FormatID(it.ID), it.Sensitivity, it.Title, it.SubmittedBy), Fields: fields})
}

// trailLine is one trail entry: when, which version and stage, who, what.
func (h *handlers) trailLine(e store.ContentEntry) string {
	s := e.At.In(h.Config.Org.Location).Format("2006-01-02 15:04") + fmt.Sprintf(" v%d", e.Version)
	if e.Stage != "" {
		s += " [" + e.Stage + "]"
	}
	if e.Actor != "" {
		s += " @" + e.Actor
	}
	s += " " + e.Action
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}
