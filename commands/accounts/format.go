package accounts

import (
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store"
)

var zero time.Time

// line is one account in /accounts list.
func (s *Service) line(f Flagged) string {
	a := f.Account
	text := fmt.Sprintf("%s owner @%s · %d with access · last post %s", label(a), a.Owner, len(a.Access), s.day(a.LastPostAt))
	if len(f.Flags) > 0 {
		kinds := make([]string, len(f.Flags))
		for i, fl := range f.Flags {
			kinds[i] = fl.Kind
		}
		text += " · ⚠️ " + strings.Join(kinds, ", ")
	}
	return text
}

// detail is /accounts show.
func (s *Service) detail(a store.Account, flags []Flag, hist []store.AccountEvent) bot.Message {
	backup := "none"
	if a.Backup != "" {
		backup = "@" + a.Backup
	}
	fields := []bot.Field{
		{Title: "Owner", Value: fmt.Sprintf("@%s (backup %s)", a.Owner, backup)},
		{Title: "Department", Value: orNone(a.Dept)},
		{Title: "Link", Value: orNone(a.URL)},
		{Title: "Two-factor", Value: map[bool]string{true: "on", false: "off"}[a.TwoFactor]},
		{Title: "Last post", Value: s.day(a.LastPostAt)},
		{Title: "Last review", Value: s.day(a.LastReviewAt)},
		{Title: "Access", Value: accessList(a)},
	}
	if a.Reviewing() {
		fields = append(fields, bot.Field{Title: "Review", Value: "open since " + s.day(a.ReviewStartedAt)})
	}
	if a.Removed() {
		fields = append(fields, bot.Field{Title: "Removed", Value: fmt.Sprintf("%s by @%s", s.day(a.RemovedAt), a.RemovedBy)})
	}
	flagText := "none"
	if len(flags) > 0 {
		parts := make([]string, len(flags))
		for i, f := range flags {
			parts[i] = f.Kind + ": " + f.Text
		}
		flagText = "⚠️ " + strings.Join(parts, "; ")
	}
	fields = append(fields, bot.Field{Title: "Flags", Value: flagText})
	var lines []string
	for _, e := range hist[max(0, len(hist)-10):] {
		who := "bot"
		if e.Actor != "" {
			who = "@" + e.Actor
		}
		lines = append(lines, fmt.Sprintf("  %s %s %s %s", e.At.In(s.Config.Org.Location).Format("2006-01-02 15:04"), who, e.Action, e.Text))
	}
	return bot.Message{Title: "📇 Account " + label(a), Fields: fields, Text: "History:\n" + strings.Join(lines, "\n")}
}

func accessList(a store.Account) string {
	if len(a.Access) == 0 {
		return "nobody"
	}
	parts := make([]string, len(a.Access))
	for i, x := range a.Access {
		parts[i] = fmt.Sprintf("@%s %s", x.Person, x.Level)
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
