package syncs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// maxDuration bounds --duration: a sync is a meeting, not a day out.
const maxDuration = 8 * time.Hour

func (h *handlers) add(ctx context.Context, c *bot.Context) error {
	if len(c.Args.Words) > 1 {
		return bot.Errorf(bot.EInvalid, "unexpected %q", c.Args.Text(1))
	}
	dept, ok := h.Config.Department(c.Args.Word(0))
	if !ok {
		return bot.Errorf(bot.EInvalid, "unknown department %q; departments: %s", c.Args.Word(0), strings.Join(h.Config.DepartmentIDs(), ", "))
	}
	s, sched, err := h.parseSync(c)
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	s.Department, s.CreatedBy, s.CreatedAt = dept.ID, c.User, now
	s.NextAt = sched.Next(now)
	created, err := h.syncs.CreateSync(ctx, s)
	if err != nil {
		return fmt.Errorf("add sync with %s: %w", dept.ID, err)
	}
	if err := h.arm(ctx, created); err != nil {
		// Without its timers the sync would never meet, and a retry would be
		// refused as a duplicate: take it back so that the command can be
		// run again.
		if derr := h.syncs.DeleteSync(ctx, created.ID); derr != nil {
			h.Log.Error("cannot remove a sync whose timers could not be armed", "sync", created.ID, "err", derr)
		}
		return err
	}
	agendaAt := stamp(h.agendaDue(created.NextAt), sched.Location)
	if !h.agendaDue(created.NextAt).After(now) {
		agendaAt = "now" // the first occurrence is sooner than the agenda lead
	}
	return c.Replyf("📅 Sync %s — %s: %s, %s, in %s. Next: %s; the agenda is posted %s.",
		bot.FormatID(created.ID), h.title(created), sched, bot.FormatDuration(created.Duration), dept.Channel,
		stamp(created.NextAt, sched.Location), agendaAt)
}

// parseSync reads the schedule options, falling back to the configured
// defaults and the org time zone.
func (h *handlers) parseSync(c *bot.Context) (store.Sync, Schedule, error) {
	opt := func(name, def string) string {
		if v := c.Args.Flag(name); v != "" {
			return v
		}
		return def
	}
	week, err := config.ParseWeek(opt("week", h.Config.Syncs.Week))
	if err != nil {
		return store.Sync{}, Schedule{}, bot.Errorf(bot.EInvalid, "--week: %v", err)
	}
	weekday, err := config.ParseWeekday(opt("weekday", h.Config.Syncs.Weekday))
	if err != nil {
		return store.Sync{}, Schedule{}, bot.Errorf(bot.EInvalid, "--weekday: %v", err)
	}
	clock := opt("time", h.Config.Syncs.Time)
	hour, minute, err := config.ParseClock(clock)
	if err != nil {
		return store.Sync{}, Schedule{}, bot.Errorf(bot.EInvalid, "--time: %v", err)
	}
	loc, err := h.zone(c.Args.Flag("tz"))
	if err != nil {
		return store.Sync{}, Schedule{}, err
	}
	duration := h.Config.Syncs.Duration
	if v := c.Args.Flag("duration"); v != "" {
		if duration, err = bot.ParseDuration(v); err != nil {
			return store.Sync{}, Schedule{}, err
		}
	}
	if duration > maxDuration {
		return store.Sync{}, Schedule{}, bot.Errorf(bot.EInvalid, "--duration: at most %s", bot.FormatDuration(maxDuration))
	}
	s := store.Sync{Week: week, Weekday: weekday, Clock: fmt.Sprintf("%02d:%02d", hour, minute), TimeZone: loc.String(), Duration: duration}
	return s, Schedule{Week: week, Weekday: weekday, Hour: hour, Minute: minute, Location: loc}, nil
}

// zone reads --tz, defaulting to the org's time zone.
func (h *handlers) zone(name string) (*time.Location, error) {
	if name == "" {
		if h.Config.Org.Location != nil {
			return h.Config.Org.Location, nil
		}
		name = h.Config.Org.TimeZone
	}
	// Only IANA names: "Local" would mean the server's zone, which nobody
	// typing the command can see.
	if name == "Local" || (name != "UTC" && !strings.Contains(name, "/")) {
		return nil, bot.Errorf(bot.EInvalid, "--tz: want an IANA time zone like Europe/Berlin, got %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, bot.Errorf(bot.EInvalid, "--tz: unknown time zone %q (like Europe/Berlin)", name)
	}
	return loc, nil
}

func (h *handlers) list(ctx context.Context, c *bot.Context) error {
	ss, err := h.syncs.ListSyncs(ctx)
	if err != nil {
		return fmt.Errorf("list syncs: %w", err)
	}
	if len(ss) == 0 {
		return c.Privatef("No standing syncs. Add one with /sync add <department>.")
	}
	out := []string{fmt.Sprintf("Standing syncs (%d):", len(ss))}
	for _, s := range ss {
		sched, err := scheduleOf(s)
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("  %s %s — %s, %s, in %s · next %s",
			bot.FormatID(s.ID), h.title(s), sched, bot.FormatDuration(s.Duration),
			h.department(s.Department).Channel, stamp(s.NextAt, sched.Location)))
	}
	return c.Private(bot.Message{Text: lines(out...)})
}

func (h *handlers) notes(ctx context.Context, c *bot.Context) error {
	s, err := h.sync(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.Args.Text(1))
	d, err := h.syncs.AppendDecision(ctx, store.Decision{
		Kind: store.KindSyncNote, Text: text, Context: h.title(s), Actor: c.User,
		Ref: syncRef(s.ID), At: h.Clock.Now(),
	})
	if err != nil {
		return fmt.Errorf("record note of sync %d: %w", s.ID, err)
	}
	return c.Replyf("📝 Noted for sync %s (%s) as decision %s: %s", bot.FormatID(s.ID), h.title(s), bot.FormatID(d.ID), text)
}

func (h *handlers) skip(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	s, err := h.sync(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	sched, err := scheduleOf(s)
	if err != nil {
		return err
	}
	skipped := s.NextAt
	s.NextAt = sched.Next(skipped)
	// A skip that raced with another change is refused, not retried: a
	// retry would skip a second month.
	if s, err = h.syncs.SaveSyncProgress(ctx, s); err != nil {
		return fmt.Errorf("skip sync %d: %w", s.ID, err)
	}
	if err := h.arm(ctx, s); err != nil {
		// The skip is saved, and failing now would make a retry skip a
		// second month. The timers still armed for the skipped occurrence
		// re-arm themselves for the new one when they fire (see current).
		h.Log.Warn("cannot re-arm the timers of a skipped sync; the old ones will", "sync", s.ID, "err", err)
	}
	msg := fmt.Sprintf("⏭ Sync %s (%s) skips %s; next is %s.", bot.FormatID(s.ID), h.title(s), stamp(skipped, sched.Location), stamp(s.NextAt, sched.Location))
	if ch := h.department(s.Department).Channel; ch != c.Channel {
		if _, err := h.Chat.Post(ctx, ch, bot.Message{Text: msg}); err != nil {
			h.Log.Warn("cannot tell the department about a skipped sync", "sync", s.ID, "err", err)
		}
	}
	return c.Reply(bot.Message{Text: msg})
}

func (h *handlers) remove(ctx context.Context, c *bot.Context) error {
	if err := onlyID(c); err != nil {
		return err
	}
	s, err := h.sync(ctx, c.Args.Word(0))
	if err != nil {
		return err
	}
	if err := h.syncs.DeleteSync(ctx, s.ID); err != nil {
		return fmt.Errorf("remove sync %d: %w", s.ID, err)
	}
	// The timers would find the sync gone and do nothing; cancelling them
	// keeps the timer table tidy.
	for _, key := range []string{agendaKey(s.ID), reminderKey(s.ID)} {
		if err := h.Scheduler.Cancel(ctx, key); err != nil {
			h.Log.Warn("cannot cancel sync timer", "timer", key, "err", err)
		}
	}
	return c.Replyf("🗑 Sync %s (%s) removed by @%s. Its notes stay in the decision log.", bot.FormatID(s.ID), h.title(s), c.User)
}
