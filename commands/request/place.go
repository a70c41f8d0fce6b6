package request

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// maxQueueWeeks is how far ahead a request may be queued.
const maxQueueWeeks = 26

func (h *handlers) place(ctx context.Context, c *bot.Context) error {
	p, err := parsePlacement(commandTokens(c.Text))
	if err != nil {
		return err
	}
	svc, err := h.checkPlacement(&p)
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	r := store.ServiceRequest{
		Service: svc.Name, Details: p.Details, Fields: p.Fields, RequestedBy: c.User, RequestedAt: now, Status: store.RequestOpen,
	}
	r, err = h.Store.PlaceRequest(ctx, h.candidates(r, svc, now), svc.Capacity, h.timers)
	if err != nil {
		return fmt.Errorf("place request: %w", err)
	}
	owners, _, err := h.Roster().Holders(ctx, svc.Owner, r.Fields["brand"])
	if err != nil {
		return err
	}
	if _, err := h.Chat.Post(ctx, svc.Channel, h.announcement(r, svc, owners)); err != nil {
		h.Log.Warn("cannot post request", "request", r.ID, "channel", svc.Channel, "err", err)
	}
	text := fmt.Sprintf("📨 Request %s placed: %s for %s, due %s (%s). Posted in %s for %s (%s).",
		bot.FormatID(r.ID), svc.Name, p.Details, h.stamp(r.DueAt), plural(svc.Turnaround, "business day", "business days"),
		svc.Channel, svc.Owner, mentions(owners))
	if r.Queued {
		text += fmt.Sprintf("\nQueued: %s takes %s a week and this week is full, so it starts in the week of %s.",
			svc.Name, plural(svc.Capacity, "request", "requests"), h.weekLabel(r.Week))
	}
	return c.Reply(bot.Message{Text: text, Footer: fmt.Sprintf("Follow it with /request list --mine · cancel with /request cancel %d <reason…>", r.ID)})
}

// checkPlacement validates a placement against its service and returns the
// service. A mistake is an EInvalid error naming what is wrong.
func (h *handlers) checkPlacement(p *placement) (config.Service, error) {
	svc, ok := h.Config.Service(p.Service)
	if !ok {
		return svc, bot.Errorf(bot.EInvalid, "unknown service %q; services: %s", p.Service, h.catalogue())
	}
	if p.Details == "" {
		return svc, bot.Errorf(bot.EInvalid, "say what you need after the service name")
	}
	for _, f := range p.Order {
		if !svc.Takes(f) {
			return svc, bot.Errorf(bot.EInvalid, "%s takes no --%s; its fields: %s", svc.Name, f, fieldList(svc))
		}
	}
	for _, f := range svc.Fields {
		if _, ok := p.Fields[f]; !ok {
			return svc, bot.Errorf(bot.EInvalid, "%s needs --%s (its fields: %s)", svc.Name, f, fieldList(svc))
		}
	}
	if b, ok := p.Fields["brand"]; ok {
		brand, err := h.Brand(b)
		if err != nil {
			return svc, err
		}
		p.Fields["brand"] = brand
	}
	return svc, nil
}

// catalogue lists the services with what each is for.
func (h *handlers) catalogue() string {
	var parts []string
	for _, s := range h.Config.Services {
		parts = append(parts, fmt.Sprintf("%s (%s)", s.Name, s.Description))
	}
	if len(parts) == 0 {
		return "none are configured"
	}
	return strings.Join(parts, "; ")
}

func fieldList(svc config.Service) string {
	var parts []string
	for _, f := range svc.Fields {
		parts = append(parts, "--"+f)
	}
	for _, f := range svc.Optional {
		parts = append(parts, "[--"+f+"]")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// candidates are r in the week it is placed and in each later week: a
// queued request starts on its week's Monday, so its business days count
// from there.
func (h *handlers) candidates(r store.ServiceRequest, svc config.Service, now time.Time) []store.ServiceRequest {
	monday := h.cal.week(now)
	out := make([]store.ServiceRequest, 0, maxQueueWeeks+1)
	for k := 0; k <= maxQueueWeeks; k++ {
		c := r
		week := monday.AddDate(0, 0, 7*k)
		c.Week, c.Queued = weekKey(week), k > 0
		c.DueAt = h.cal.due(now, svc.Turnaround)
		if k > 0 {
			c.DueAt = h.cal.due(week.AddDate(0, 0, -1), svc.Turnaround)
		}
		c.Fields = maps.Clone(r.Fields)
		out = append(out, c)
	}
	return out
}

// timers are the reminder a business day before the due date (unless that
// has passed already) and the late note at the due time.
func (h *handlers) timers(r store.ServiceRequest) []bot.Timer {
	payload := fmt.Sprintf(`{"request":%d}`, r.ID)
	out := []bot.Timer{{Kind: timerLate, Key: fmt.Sprintf("request:%d:late", r.ID), Due: r.DueAt, Payload: payload}}
	if remind := h.cal.before(r.DueAt); remind.After(r.RequestedAt) {
		out = append(out, bot.Timer{Kind: timerRemind, Key: fmt.Sprintf("request:%d:remind", r.ID), Due: remind, Payload: payload})
	}
	return out
}

// weekLabel shows a week key as its Monday: "Mon 30 Nov".
func (h *handlers) weekLabel(week string) string {
	t, err := time.ParseInLocation("2006-01-02", week, h.Config.Org.Location)
	if err != nil {
		return week
	}
	return t.Format("Mon 02 Jan")
}

// announcement is the owner channel's post of a new request, with its
// Claim button.
func (h *handlers) announcement(r store.ServiceRequest, svc config.Service, owners []string) bot.Message {
	fields := []bot.Field{
		{Title: "Requested by", Value: "@" + r.RequestedBy},
		{Title: "Due", Value: h.stamp(r.DueAt)},
	}
	if r.Queued {
		fields = append(fields, bot.Field{Title: "Queued to the week of", Value: h.weekLabel(r.Week)})
	}
	for _, f := range slices.Concat(svc.Fields, svc.Optional) {
		if v, ok := r.Fields[f]; ok {
			fields = append(fields, bot.Field{Title: f, Value: v})
		}
	}
	return bot.Message{
		Title:   fmt.Sprintf("New %s for %s (%s)", label(r), svc.Owner, mentions(owners)),
		Text:    r.Details,
		Fields:  fields,
		Buttons: []bot.Button{{Label: "Claim", Command: fmt.Sprintf("/request claim %d", r.ID), Style: bot.StylePrimary}},
		Footer:  fmt.Sprintf("Or type /request claim %d", r.ID),
		Notify:  owners,
	}
}
