// Package request implements the CoE's service catalogue: /request places
// a request against a configured service (config services), due a number
// of business days later in the team's time zone, queued to a later week
// when the service's weekly capacity is full; the owner role claims,
// updates and delivers it. A reminder a business day before the due date
// and a note to the social lead when it is late are durable timers.
// /workload shows what each person has open.
package request

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Timer kinds.
const (
	timerRemind = "request.remind"
	timerLate   = "request.late"
)

// socialLead is the role told when a request is late.
const socialLead = "social-lead"

type handlers struct {
	commands.Deps
	cal calendar
}

// Register adds /request and /workload and their timers.
func Register(r *bot.Router, d commands.Deps) {
	h := &handlers{Deps: d, cal: calendar{loc: d.Config.Org.Location, holiday: d.Config.Org.IsHoliday}}
	r.Describe("request", "Service catalogue: request a CoE service · list · claim · update · done · cancel")
	r.Describe("workload", "Who has what open: requests, routed issues, crisis rooms, content approvals")
	r.Register(
		bot.Command{
			Group: "request", Args: "<service> <details…> [--field value…]",
			Summary: "Request a service of the CoE; its turnaround counts business days",
			Examples: []string{
				"/request listening-report Q4 sentiment deep dive --brand acme --question why did sentiment drop --due-by 2026-12-10",
				"/request new-social-account TikTok for the outlet --network tiktok --owner @sam --purpose clearance sales",
			},
			// Every service's fields, so that the router and Discord accept
			// them; each service checks its own.
			Options:  d.Config.ServiceFields(),
			MinWords: 2, Handler: h.place,
		},
		bot.Command{
			Group: "request", Name: "list", Args: "[--mine|--late] [--service S]",
			Summary:  "List open requests",
			Examples: []string{"/request list --mine", "/request list --service listening-report --late"},
			Options:  []string{"service"}, Switches: []string{"mine", "late"}, Handler: h.list,
		},
		bot.Command{
			Group: "request", Name: "claim", Args: "<id>",
			Summary: "Take a request on", MinWords: 1, Handler: h.claim,
		},
		bot.Command{
			Group: "request", Name: "update", Args: "<id> <note…>",
			Summary: "Post progress on a request; its requester gets it by direct message", MinWords: 2, Handler: h.update,
		},
		bot.Command{
			Group: "request", Name: "done", Args: "<id> [--link URL]",
			Summary: "Deliver a request", Options: []string{"link"}, MinWords: 1, Handler: h.done,
		},
		bot.Command{
			Group: "request", Name: "cancel", Args: "<id> <reason…>",
			Summary: "Cancel a request, saying why (its requester, claimer or owner role)", MinWords: 2, Handler: h.cancel,
		},
		bot.Command{
			Group: "workload", Args: "[@user]",
			Summary:  "Open work per person, and for the whole team",
			Examples: []string{"/workload", "/workload @sam"},
			Handler:  h.workload,
		},
	)
	d.Scheduler.Handle(timerRemind, h.remind)
	d.Scheduler.Handle(timerLate, h.late)
}

// request loads the request whose id is the first word.
func (h *handlers) request(ctx context.Context, c *bot.Context) (store.ServiceRequest, config.Service, error) {
	id, err := bot.ParseID(c.Args.Word(0))
	if err != nil {
		return store.ServiceRequest{}, config.Service{}, err
	}
	r, err := h.Store.ServiceRequest(ctx, id)
	if bot.IsCode(err, bot.ENotFound) {
		return r, config.Service{}, bot.Errorf(bot.ENotFound, "no request %s", bot.FormatID(id))
	}
	if err != nil {
		return r, config.Service{}, fmt.Errorf("load request %d: %w", id, err)
	}
	return r, h.service(r), nil
}

// service is the catalogue entry of r; a service removed from the
// configuration since is still shown by name, posted to the social channel.
func (h *handlers) service(r store.ServiceRequest) config.Service {
	if s, ok := h.Config.Service(r.Service); ok {
		return s
	}
	return config.Service{Name: r.Service, Owner: socialLead, Turnaround: 1, Capacity: 1, Channel: h.Config.Channels.Social}
}

// stamp shows a time with its weekday, in the team's time zone.
func (h *handlers) stamp(t time.Time) string {
	return t.In(h.Config.Org.Location).Format("Mon 02 Jan 15:04")
}

// dm sends m to each person; a failure is logged, as the request is stored
// and /request list shows it anyway.
func (h *handlers) dm(ctx context.Context, people []string, m bot.Message) {
	for _, p := range people {
		if _, err := h.Chat.DirectMessage(ctx, p, m); err != nil {
			h.Log.Warn("cannot send request message", "person", p, "err", err)
		}
	}
}

// label names a request in messages: "request #3 (listening-report)".
func label(r store.ServiceRequest) string {
	return fmt.Sprintf("request %s (%s)", bot.FormatID(r.ID), r.Service)
}

func mentions(people []string) string {
	if len(people) == 0 {
		return "nobody"
	}
	return "@" + strings.Join(people, ", @")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
