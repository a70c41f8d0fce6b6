// Package digest implements /digest: periodic reports per audience,
// defined in the configuration (digests:). Each is a short narrative
// computed from the numbers (no language model), then its sections (KPIs,
// crises, alerts, routed issues by department, tests, decisions, content),
// then charts posted as images. Every KPI number is computed by the KPI
// service exactly as /kpi shows it for the same period (7d weekly, 30d
// monthly). Scheduled sending is durable and once per period across
// replicas: see send.go.
package digest

import (
	"context"
	"fmt"
	"strings"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
)

// Group is the command group: /digest.
const Group = "digest"

const permSend = "digest.send"

// Service builds and sends digests.
type Service struct {
	commands.Deps
	kpis *kpi.Service
}

// New returns the digest service over d, computing KPIs with k.
func New(d commands.Deps, k *kpi.Service) *Service {
	if d.Clock == nil {
		d.Clock = bot.SystemClock{}
	}
	return &Service{Deps: d, kpis: k}
}

// Register adds /digest and the digest timer, and arms each configured
// digest's next occurrence (idempotent: every replica arms the same key).
func Register(r *bot.Router, d commands.Deps, k *kpi.Service) *Service {
	s := New(d, k)
	r.Describe(Group, "Digests per audience: list · preview · send")
	r.Register(s.commands()...)
	d.Scheduler.Handle(timerKind, s.fire)
	if err := s.Arm(context.Background()); err != nil {
		s.Log.Error("arming digests failed; they arm again at the next start", "err", err)
	}
	return s
}

// RegisterDefault is Register with its own KPI service, for harnesses.
func RegisterDefault(r *bot.Router, d commands.Deps) { Register(r, d, kpi.New(d)) }

func (s *Service) commands() []bot.Command {
	return []bot.Command{
		{Group: Group, Name: "list", Summary: "List the configured digests, their schedules and next dates",
			Examples: []string{"/digest list"}, Handler: s.list},
		{Group: Group, Name: "preview", Args: "<name>", MinWords: 1,
			Summary:  "Show a digest as it would be posted now, to you only",
			Examples: []string{"/digest preview exec"}, Handler: s.preview},
		{Group: Group, Name: "send", Args: "<name>", MinWords: 1, Permission: permSend,
			Summary:  "Post a digest to its channel now",
			Examples: []string{"/digest send care"}, Handler: s.send},
	}
}

func (s *Service) digest(name string) (config.Digest, error) {
	d, ok := s.Config.Digest(name)
	if !ok {
		var names []string
		for _, d := range s.Config.Digests {
			names = append(names, d.Name)
		}
		return d, bot.Errorf(bot.EInvalid, "unknown digest %q; digests: %s", clip(name), strings.Join(names, ", "))
	}
	return d, nil
}

func (s *Service) list(_ context.Context, c *bot.Context) error {
	m := bot.Message{Title: "Digests", Footer: "/digest preview <name> · /digest send <name>"}
	if len(s.Config.Digests) == 0 {
		m.Text = "No digests are configured (digests: in the configuration)."
	}
	for _, d := range s.Config.Digests {
		sched, err := scheduleOf(d)
		if err != nil {
			return err
		}
		next := sched.Next(s.Clock.Now()).In(d.Location).Format("Mon 02 Jan 2006 15:04 MST")
		m.Fields = append(m.Fields, bot.Field{Title: d.Name, Value: fmt.Sprintf("%s → %s · %s · next %s · sections: %s",
			sched, d.Channel, sched.Period().Label(), next, strings.Join(d.Sections, ", "))})
	}
	return c.Private(m)
}

func (s *Service) preview(ctx context.Context, c *bot.Context) error {
	d, err := s.digest(c.Args.Word(0))
	if err != nil {
		return err
	}
	rep, err := s.Build(ctx, d)
	if err != nil {
		return err
	}
	rep.Message.Title = "Preview (only you) · " + rep.Message.Title
	return c.PrivateFiles(rep.Message, rep.Files)
}

func (s *Service) send(ctx context.Context, c *bot.Context) error {
	d, err := s.digest(c.Args.Word(0))
	if err != nil {
		return err
	}
	// A manual send is its own period: sending twice posts twice, on purpose.
	period := "manual:" + s.Clock.Now().UTC().Format("2006-01-02T15:04:05")
	if err := s.deliver(ctx, d, period); err != nil {
		return err
	}
	return c.Privatef("Posted the %s digest to %s.", d.Name, d.Channel)
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
