package experiment

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

func (h *handlers) result(ctx context.Context, c *bot.Context) error {
	e, err := h.experiment(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	a, b, err := ParseArms(c.Args.Words[1:3])
	if err != nil {
		return err
	}
	notes, err := resultNotes(c)
	if err != nil {
		return err
	}
	if e.Status != store.ExperimentPicked && e.Status != store.ExperimentRunning {
		return bot.Errorf(bot.EConflict, "test %s is %s; a result is recorded for a picked or running test", bot.FormatID(e.ID), e.Status)
	}
	an := Analyze(a, b)
	r := store.ExperimentResult{
		A: a, B: b, Lift: an.Lift, PValue: an.PValue, Winner: an.Winner, Verdict: an.Verdict(),
		Notes: notes, By: c.User, At: h.Clock.Now(),
	}
	d := store.Decision{
		Kind: store.KindResult, Text: fmt.Sprintf("Test %s: %s", describe(e), summary(r)),
		Context: r.Notes, Actor: c.User, Brand: e.Brand, Ref: fmt.Sprintf("test:%d", e.ID), At: r.At,
	}
	done, d, err := h.sheet.RecordExperimentResult(ctx, e.ID, r, d)
	if err != nil {
		return fmt.Errorf("record result of test %d: %w", e.ID, err)
	}
	msg := resultMessage(done, an, d)
	if c.Channel == h.Config.Channels.Announce {
		return c.Reply(msg)
	}
	if _, err := h.Chat.Post(ctx, h.Config.Channels.Announce, msg); err != nil {
		// The result is recorded; say so rather than fail the command.
		h.Log.Warn("cannot announce test result", "test", e.ID, "err", err)
		msg.Footer += " · not announced to " + h.Config.Channels.Announce + " (the channel is unavailable)"
		return c.Reply(msg)
	}
	// The full read-out is in the announcement; here a line is enough.
	return c.Replyf("📊 Result of test %s recorded as decision %s and announced in %s: %s",
		describe(done), bot.FormatID(d.ID), h.Config.Channels.Announce, summary(*done.Result))
}

// resultNotes is --notes. An option takes one word unless quoted, so the
// words typed after the two variants belong to unquoted notes.
func resultNotes(c *bot.Context) (string, error) {
	extra := c.Args.Words[3:]
	if len(extra) == 0 {
		return c.Args.Flag("notes"), nil
	}
	if !c.Args.Has("notes") {
		return "", bot.Errorf(bot.EInvalid, "unexpected %q (notes go after --notes)", strings.Join(extra, " "))
	}
	return strings.Join(append([]string{c.Args.Flag("notes")}, extra...), " "), nil
}

// summary is a result on one line: the verdict, then the numbers.
func summary(r store.ExperimentResult) string {
	return fmt.Sprintf("%s. A %s, B %s, lift %s, p = %s", r.Verdict,
		armRate(r.A), armRate(r.B), formatLift(r.Lift), formatP(r.PValue))
}

// armRate shows "3.00% (120/4000)".
func armRate(a store.Arm) string {
	// Percent computed as s·100/n and rounded half away from zero, so that
	// 165/4000 shows as 4.13% rather than float64's 4.12.
	percent := float64(a.Successes) * 100 / float64(a.Trials)
	return fmt.Sprintf("%.2f%% (%d/%d)", math.Round(percent*100)/100, a.Successes, a.Trials)
}

func resultMessage(e store.Experiment, an Analysis, d store.Decision) bot.Message {
	fields := []bot.Field{
		{Title: "A", Value: armRate(e.Result.A)},
		{Title: "B", Value: armRate(e.Result.B)},
		{Title: "Lift (B vs A)", Value: formatLift(an.Lift)},
		{Title: "p-value", Value: fmt.Sprintf("%s (%s)", formatP(an.PValue), an.Method())},
		{Title: "Verdict", Value: e.Result.Verdict},
	}
	if e.Result.Notes != "" {
		fields = append(fields, bot.Field{Title: "Notes", Value: e.Result.Notes})
	}
	msg := bot.Message{
		Title:  fmt.Sprintf("Test result %s: %s%s", bot.FormatID(e.ID), e.Title, scope(e)),
		Fields: fields,
		Footer: fmt.Sprintf("recorded by @%s as decision %s", e.Result.By, bot.FormatID(d.ID)),
	}
	if e.Result.Winner != "" {
		msg.Text = fmt.Sprintf("Every brand can adopt it: /test replicate %d --brand <brand>", e.ID)
	}
	return msg
}

func (h *handlers) replicate(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	e, err := h.experiment(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	if e.Status != store.ExperimentDone || e.Result == nil || e.Result.Winner == "" {
		return bot.Errorf(bot.EConflict, "test %s has no winner to replicate", bot.FormatID(e.ID))
	}
	brand, err := h.replicatingBrand(ctx, c)
	if err != nil {
		return err
	}
	if brand == e.OwnerBrand {
		return bot.Errorf(bot.EConflict, "%s ran test %s itself; replicate it for another brand", brand, bot.FormatID(e.ID))
	}
	rep, err := h.sheet.AddReplication(ctx, e.ID, brand, c.User, h.Clock.Now())
	if err != nil {
		return fmt.Errorf("replicate test %d for %s: %w", e.ID, brand, err)
	}
	return c.Replyf("🔁 %s adopts test %s (variant %s won). Replicated by: %s.",
		brand, describe(rep), strings.ToUpper(e.Result.Winner), strings.Join(rep.Replications, ", "))
}

// replicatingBrand is --brand, or else the one brand the person holds a
// role for.
func (h *handlers) replicatingBrand(ctx context.Context, c *bot.Context) (string, error) {
	if b := c.Args.Flag("brand"); b != "" {
		return h.Brand(b)
	}
	as, err := h.sheet.RoleAssignments(ctx, "")
	if err != nil {
		return "", fmt.Errorf("find brand of %s: %w", c.User, err)
	}
	brands := map[string]bool{}
	for _, a := range as {
		if a.Person == c.User && a.Brand != "" {
			brands[a.Brand] = true
		}
	}
	if len(brands) == 1 {
		for b := range brands {
			return b, nil
		}
	}
	return "", bot.Errorf(bot.EInvalid, "which brand adopts it? add --brand B (brands: %s)", strings.Join(h.Config.BrandIDs(), ", "))
}
