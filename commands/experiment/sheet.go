package experiment

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/csvsafe"
	"github.com/interlock-coe/interlock/store"
)

// statuses are the values of /test list --status, besides "all".
var statuses = []string{store.ExperimentProposed, store.ExperimentPicked, store.ExperimentRunning, store.ExperimentDone, store.ExperimentDropped}

// SheetHeader is the first line of /test sheet.
const SheetHeader = "id,title,hypothesis,metric,brand,channel,proposer,votes,status,owner,result,replications"

func (h *handlers) propose(ctx context.Context, c *bot.Context) error {
	brand, err := h.Brand(c.Args.Flag("brand"))
	if err != nil {
		return err
	}
	title := strings.TrimSpace(c.Args.Text(0))
	e, err := h.sheet.CreateExperiment(ctx, store.Experiment{
		Title: title, Hypothesis: c.Args.Flag("hypothesis"), Metric: c.Args.Flag("metric"),
		Brand: brand, Channel: strings.TrimPrefix(c.Args.Flag("channel"), "#"),
		Proposer: c.User, ProposedAt: h.Clock.Now(), Status: store.ExperimentProposed,
	})
	if err != nil {
		return fmt.Errorf("propose test: %w", err)
	}
	if err := h.armMonthlyPick(ctx); err != nil {
		// The proposal is stored: failing the command now would make a retry
		// store it twice. The next proposal arms the pick again.
		h.Log.Warn("cannot arm the monthly test pick", "test", e.ID, "err", err)
	}
	return c.Reply(bot.Message{
		Text:    fmt.Sprintf("🧪 Test %s proposed by @%s: %s%s. Vote for it with /test vote %d.", bot.FormatID(e.ID), c.User, e.Title, scope(e), e.ID),
		Buttons: []bot.Button{{Label: "Vote", Command: fmt.Sprintf("/test vote %d", e.ID), Style: bot.StylePrimary}},
	})
}

func (h *handlers) list(ctx context.Context, c *bot.Context) error {
	status := strings.ToLower(c.Args.Flag("status"))
	if status != "" && status != "all" && !slices.Contains(statuses, status) {
		return bot.Errorf(bot.EInvalid, "unknown status %q; use one of %s, all", status, strings.Join(statuses, ", "))
	}
	query := status
	if status == "all" {
		query = ""
	}
	es, err := h.sheet.ListExperiments(ctx, query)
	if err != nil {
		return fmt.Errorf("list tests: %w", err)
	}
	if status == "" {
		es = slices.DeleteFunc(es, func(e store.Experiment) bool { return e.Status == store.ExperimentDropped })
	}
	if len(es) == 0 && status != "" && status != "all" {
		return c.Privatef("No %s tests. See every test with /test list --status all.", status)
	}
	if len(es) == 0 {
		return c.Privatef("No tests yet. Propose one with /test propose <title…>.")
	}
	lines := []string{fmt.Sprintf("Testing sheet (%d):", len(es))}
	for _, e := range es {
		lines = append(lines, "  "+line(e))
	}
	return c.Private(bot.Message{Text: strings.Join(lines, "\n")})
}

// line shows one test on one line.
func line(e store.Experiment) string {
	s := fmt.Sprintf("%s [%s] %s%s — %s by @%s", bot.FormatID(e.ID), e.Status, e.Title, scope(e), votes(e.Votes), e.Proposer)
	if e.Owner != "" {
		s += ", owner @" + e.Owner + ownerBrand(e)
	}
	if e.Result != nil {
		s += " · " + e.Result.Verdict
	}
	if len(e.Replications) > 0 {
		s += " · replicated by " + strings.Join(e.Replications, ", ")
	}
	return s
}

func votes(n int) string {
	if n == 1 {
		return "1 vote"
	}
	return fmt.Sprintf("%d votes", n)
}

func ownerBrand(e store.Experiment) string {
	if e.OwnerBrand == "" {
		return ""
	}
	return " (" + e.OwnerBrand + ")"
}

func (h *handlers) vote(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	e, err := h.experiment(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	voted, err := h.sheet.VoteExperiment(ctx, e.ID, c.User, h.Clock.Now())
	if err != nil {
		return fmt.Errorf("vote on test %d: %w", e.ID, err)
	}
	return c.Replyf("👍 @%s voted for test %s (%s).", c.User, describe(voted), votes(voted.Votes))
}

func (h *handlers) sheetCSV(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 0 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(0))
	}
	es, err := h.sheet.ListExperiments(ctx, "")
	if err != nil {
		return fmt.Errorf("list tests: %w", err)
	}
	text, err := SheetCSV(es)
	if err != nil {
		return err
	}
	return c.Private(bot.Message{Text: text})
}

// SheetCSV writes the testing sheet as CSV: SheetHeader, then one record
// per test. Cells a spreadsheet would run as formulas are quoted (csvsafe).
func SheetCSV(es []store.Experiment) (string, error) {
	var b strings.Builder
	w := csvsafe.NewWriter(&b)
	_ = w.Write(strings.Split(SheetHeader, ","))
	for _, e := range es {
		_ = w.Write([]string{
			strconv.FormatInt(e.ID, 10), e.Title, e.Hypothesis, e.Metric, e.Brand, e.Channel,
			e.Proposer, strconv.Itoa(e.Votes), e.Status, e.Owner, resultCell(e.Result),
			strings.Join(e.Replications, ";"),
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return "", fmt.Errorf("write testing sheet: %w", err)
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

// resultCell sums a result up for the sheet.
func resultCell(r *store.ExperimentResult) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("%s; %s %s; lift %s; p=%s", r.Verdict, formatArm("a", r.A), formatArm("b", r.B), formatLift(r.Lift), formatP(r.PValue))
}
