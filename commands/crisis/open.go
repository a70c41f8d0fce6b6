package crisis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/privacy"
	"github.com/interlock-coe/interlock/store"
)

// Opening a room is a recorded sequence of steps. Each is marked done in the
// store as it completes, and a durable resume timer retries whatever is
// still pending, so a platform failure or a crash never leaves a crisis
// half-made.
const (
	stepRoom    = "room"
	stepInvite  = "invite"
	stepTopic   = "topic"
	stepBrief   = "brief"
	stepPin     = "pin"
	stepCheckIn = "checkin"
)

var openSteps = []string{stepRoom, stepInvite, stepTopic, stepBrief, stepPin, stepCheckIn}

// resumeDelay is how long the first retry of an unfinished opening waits;
// the scheduler backs off after that.
const resumeDelay = 30 * time.Second

type crisisRef struct {
	CrisisID int64 `json:"crisis_id"`
}

func resumeKey(id int64) string  { return fmt.Sprintf("crisis:%d:resume", id) }
func checkInKey(id int64) string { return fmt.Sprintf("crisis:%d:checkin", id) }

func (h *handlers) open(ctx context.Context, c *bot.Context) error {
	level, _, err := h.severity(c.Args.Word(0))
	if err != nil {
		return err
	}
	brand, err := h.Brand(c.Args.Flag("brand"))
	if err != nil {
		return err
	}
	title := strings.TrimSpace(c.Args.Text(1))
	now := h.Clock.Now()
	cr, created, err := h.crises.CreateCrisis(ctx, store.Crisis{
		Brand: brand, Title: title, Severity: level, Status: store.CrisisOpen, OpenedBy: c.User, OpenedAt: now,
		Confidential: c.Args.Has("confidential"),
	}, openSteps)
	if err != nil {
		return fmt.Errorf("create crisis: %w", err)
	}
	if !created {
		where := "in #" + cr.RoomName + " — join the room there"
		if cr.RoomName == "" {
			where = "and its room is still being created — see /crisis list"
		}
		return c.Replyf("Crisis %s %q is already open (%s) %s.", bot.FormatID(cr.ID), privacy.Title(cr, false), cr.Severity, where)
	}
	if err := h.Scheduler.Schedule(ctx, timerResume, resumeKey(cr.ID), now.Add(resumeDelay), crisisRef{cr.ID}); err != nil {
		return fmt.Errorf("schedule resume of crisis %d: %w", cr.ID, err)
	}
	if err := h.timeline(ctx, cr, c.User, "opened", fmt.Sprintf("opened as %s: %s", level, title)); err != nil {
		return err
	}
	cr, pending, err := h.assemble(ctx, cr)
	if err != nil {
		return err
	}
	return c.Reply(h.openedMessage(ctx, cr, pending))
}

// assemble runs the pending opening steps: the room first, then the
// invitations, topic and brief at once (they are independent), then the pin
// and the check-in timer. It returns the crisis and the steps still pending.
func (h *handlers) assemble(ctx context.Context, cr store.Crisis) (store.Crisis, []store.CrisisStep, error) {
	steps, err := h.crises.CrisisSteps(ctx, cr.ID)
	if err != nil {
		return cr, nil, fmt.Errorf("steps of crisis %d: %w", cr.ID, err)
	}
	todo := map[string]bool{}
	for _, s := range steps {
		todo[s.Name] = !s.Done
	}
	if todo[stepRoom] {
		if err := h.step(ctx, cr, stepRoom, func() error { return h.createRoom(ctx, &cr) }); err != nil {
			return h.pending(ctx, cr)
		}
	}
	h.parallelSteps(ctx, &cr, todo)
	if todo[stepPin] {
		// The brief must be posted before it can be pinned.
		if steps, err = h.crises.CrisisSteps(ctx, cr.ID); err != nil {
			return cr, nil, fmt.Errorf("steps of crisis %d: %w", cr.ID, err)
		}
		if stepDone(steps, stepBrief) {
			_ = h.step(ctx, cr, stepPin, func() error { return h.pin(ctx, cr) })
		}
	}
	if todo[stepCheckIn] {
		_ = h.step(ctx, cr, stepCheckIn, func() error { return h.scheduleCheckIn(ctx, cr) })
	}
	return h.pending(ctx, cr)
}

// parallelSteps runs the invitations, topic and brief concurrently, saves
// what they learnt about the crisis once, and only then marks the steps done,
// so a crash in between repeats a step rather than losing its result.
func (h *handlers) parallelSteps(ctx context.Context, cr *store.Crisis, todo map[string]bool) {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		results = map[string]error{}
		invited inviteResult
		brief   bot.MessageRef
	)
	run := func(name string, f func() error) {
		if !todo[name] {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f()
			mu.Lock()
			results[name] = err
			mu.Unlock()
		}()
	}
	run(stepInvite, func() (err error) { invited, err = h.invite(ctx, *cr); return err })
	run(stepTopic, func() error { return h.Chat.SetTopic(ctx, cr.RoomID, h.topic(*cr)) })
	run(stepBrief, func() (err error) { brief, err = h.postBrief(ctx, *cr); return err })
	wg.Wait()
	if invited.done {
		cr.AssembledAt = invited.at
		cr.Missing = strings.Join(invited.missing, ", ")
	}
	if brief.ID != "" {
		cr.BriefChannel, cr.BriefID = brief.Channel, brief.ID
	}
	if invited.done || brief.ID != "" {
		saved, err := h.change(ctx, cr.ID, func(cur store.Crisis) (store.CrisisUpdate, error) {
			if invited.done {
				cur.AssembledAt, cur.Missing = cr.AssembledAt, cr.Missing
			}
			if brief.ID != "" {
				cur.BriefChannel, cur.BriefID = cr.BriefChannel, cr.BriefID
			}
			return store.CrisisUpdate{Crisis: cur}, nil
		})
		if err != nil {
			h.Log.Error("cannot save crisis after opening steps; they will be repeated", "crisis", cr.ID, "err", err)
			return
		}
		*cr = saved
	}
	for _, name := range []string{stepInvite, stepTopic, stepBrief} {
		if err, ran := results[name]; ran {
			_ = h.step(ctx, *cr, name, func() error { return err })
		}
	}
}

// step runs one opening step and records its outcome.
func (h *handlers) step(ctx context.Context, cr store.Crisis, name string, f func() error) error {
	err := f()
	errText := ""
	if err != nil {
		errText = err.Error()
		h.Log.Warn("crisis opening step failed; will retry", "crisis", cr.ID, "step", name, "err", err)
	}
	if merr := h.crises.MarkStep(ctx, cr.ID, name, err == nil, errText, h.Clock.Now()); merr != nil {
		return errors.Join(err, merr)
	}
	return err
}

// pending returns the steps not yet done and settles the resume timer:
// cancelled when nothing is left, otherwise left to retry.
func (h *handlers) pending(ctx context.Context, cr store.Crisis) (store.Crisis, []store.CrisisStep, error) {
	steps, err := h.crises.CrisisSteps(ctx, cr.ID)
	if err != nil {
		return cr, nil, fmt.Errorf("steps of crisis %d: %w", cr.ID, err)
	}
	var left []store.CrisisStep
	for _, s := range steps {
		if !s.Done {
			left = append(left, s)
		}
	}
	if len(left) == 0 {
		if err := h.Scheduler.Cancel(ctx, resumeKey(cr.ID)); err != nil {
			return cr, nil, err
		}
	}
	return cr, left, nil
}

func stepDone(steps []store.CrisisStep, name string) bool {
	for _, s := range steps {
		if s.Name == name {
			return s.Done
		}
	}
	return false
}

// resume is the durable timer that finishes an opening left half-way.
func (h *handlers) resume(ctx context.Context, t bot.Timer) error {
	cr, open, err := h.timerCrisis(ctx, t)
	if err != nil || !open {
		return err
	}
	cr, left, err := h.assemble(ctx, cr)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		// An error makes the scheduler retry with back-off.
		return fmt.Errorf("crisis %d: steps still pending: %s", cr.ID, stepNames(left))
	}
	if cr.RoomID != "" {
		_, err = h.Chat.Post(ctx, cr.RoomID, bot.Message{Text: "✅ The crisis room is complete: every opening step has now succeeded."})
	}
	return err
}

func stepNames(steps []store.CrisisStep) string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

func (h *handlers) createRoom(ctx context.Context, cr *store.Crisis) error {
	// The topic is its own step, run alongside the invitations: setting it
	// here too would cost Slack a sequential call and Discord a rate-limited
	// channel edit.
	room, err := h.Chat.CreateRoom(ctx, bot.RoomSpec{Name: h.roomName(*cr), Private: true})
	if err != nil {
		return fmt.Errorf("create room: %w", err)
	}
	saved, err := h.change(ctx, cr.ID, func(cur store.Crisis) (store.CrisisUpdate, error) {
		cur.RoomID, cur.RoomName = room.ID, room.Name
		return store.CrisisUpdate{Crisis: cur}, nil
	})
	if err != nil {
		return fmt.Errorf("save room of crisis %d: %w", cr.ID, err)
	}
	*cr = saved
	return nil
}

// roomName is crisis-<yyyymmdd>-<slug>, the date in the org's time zone;
// the slug transliterates the title ("Störung" → "stoerung").
func (h *handlers) roomName(cr store.Crisis) string {
	slug := bot.Slug(cr.Title)
	if cr.Confidential { // the room's name is seen outside the room
		slug = ""
	}
	if len(slug) > 50 {
		slug = strings.TrimRight(slug[:50], "-")
	}
	if slug == "" {
		slug = fmt.Sprintf("incident-%d", cr.ID)
	}
	return "crisis-" + cr.OpenedAt.In(h.Config.Org.Location).Format("20060102") + "-" + slug
}

func (h *handlers) topic(cr store.Crisis) string {
	sev, _ := h.Config.Severity(cr.Severity)
	parts := []string{cr.Severity, cr.Title}
	if cr.Brand != "" {
		parts = append(parts, cr.Brand)
	}
	parts = append(parts, "check-ins every "+bot.FormatDuration(sev.CheckIn), "crisis "+bot.FormatID(cr.ID))
	// Titles stored before commands were normalised may still hold controls.
	return bot.RemoveBidiControls(strings.Join(parts, " · "))
}

type inviteResult struct {
	done    bool
	at      time.Time
	missing []string
}

// invite brings in the holders of every role the severity names, plus the
// opener, and records who was invited for which role.
func (h *handlers) invite(ctx context.Context, cr store.Crisis) (inviteResult, error) {
	members, missing, err := h.roleMembers(ctx, cr.Severity, cr.Brand)
	if err != nil {
		return inviteResult{}, err
	}
	members = append([]store.CrisisMember{{Person: cr.OpenedBy}}, members...)
	people := memberPeople(members)
	err = h.Chat.Invite(ctx, cr.RoomID, people)
	var unknown *bot.UnknownPeopleError
	if errors.As(err, &unknown) {
		h.Log.Warn("some people have no platform account", "crisis", cr.ID, "people", unknown.People)
		for _, p := range unknown.People {
			missing = append(missing, "@"+p+" (no account)")
		}
		err = nil
	}
	if err != nil {
		return inviteResult{}, fmt.Errorf("invite: %w", err)
	}
	now := h.Clock.Now()
	for i := range members {
		members[i].InvitedAt = now
	}
	if err := h.crises.AddCrisisMembers(ctx, cr.ID, members); err != nil {
		return inviteResult{}, fmt.Errorf("record members: %w", err)
	}
	return inviteResult{done: true, at: now, missing: missing}, nil
}

// roleMembers lists the holders of the severity's invite roles for brand
// (falling back to all-brand holders, then backups) and the roles nobody
// holds.
func (h *handlers) roleMembers(ctx context.Context, level, brand string) ([]store.CrisisMember, []string, error) {
	sev, _ := h.Config.Severity(level)
	var (
		members []store.CrisisMember
		missing []string
	)
	for _, role := range sev.Invite {
		holders, _, err := h.Roster().Holders(ctx, role, brand)
		if err != nil {
			return nil, nil, err
		}
		if len(holders) == 0 {
			missing = append(missing, role)
		}
		for _, p := range holders {
			members = append(members, store.CrisisMember{Person: p, Role: role})
		}
	}
	return members, missing, nil
}

// memberPeople lists distinct people in order.
func memberPeople(ms []store.CrisisMember) []string {
	var out []string
	for _, m := range ms {
		if !slices.Contains(out, m.Person) {
			out = append(out, m.Person)
		}
	}
	return out
}

func (h *handlers) pin(ctx context.Context, cr store.Crisis) error {
	pinner, ok := h.Chat.(bot.Pinner)
	if !ok {
		return nil // a platform without pins still works: the brief is posted
	}
	cr, err := h.crises.Crisis(ctx, cr.ID)
	if err != nil {
		return fmt.Errorf("reload crisis %d: %w", cr.ID, err)
	}
	return pinner.Pin(ctx, bot.MessageRef{Channel: cr.BriefChannel, ID: cr.BriefID})
}

// scheduleCheckIn arms the first check-in, unless the crisis was resolved
// meanwhile.
func (h *handlers) scheduleCheckIn(ctx context.Context, cr store.Crisis) error {
	_, err := h.change(ctx, cr.ID, func(cur store.Crisis) (store.CrisisUpdate, error) {
		if cur.Status != store.CrisisOpen {
			return store.CrisisUpdate{}, errNoChange
		}
		sev, _ := h.Config.Severity(cur.Severity)
		return store.CrisisUpdate{Crisis: cur, Schedule: []bot.Timer{checkInTimer(cur.ID, cur.OpenedAt.Add(sev.CheckIn))}}, nil
	})
	return err
}

func (h *handlers) openedMessage(ctx context.Context, cr store.Crisis, pending []store.CrisisStep) bot.Message {
	ms, err := h.crises.CrisisMembers(ctx, cr.ID)
	if err != nil {
		h.Log.Warn("cannot list crisis members", "crisis", cr.ID, "err", err)
	}
	people := make([]string, 0, len(ms))
	for _, m := range ms {
		people = append(people, m.Person)
	}
	// The answer is posted where /crisis open was typed, seen by people
	// outside the room.
	m := bot.Message{Text: fmt.Sprintf("🚨 Crisis %s opened (%s): %s", bot.FormatID(cr.ID), cr.Severity, privacy.Title(cr, false))}
	if cr.RoomName != "" {
		m.Text += " → #" + cr.RoomName
	}
	m.Fields = append(m.Fields, bot.Field{Title: "Invited", Value: mentions(people)})
	if cr.Missing != "" {
		m.Fields = append(m.Fields, bot.Field{Title: "No holder", Value: cr.Missing + " — assign with /role assign <role> @user"})
	}
	if len(pending) > 0 {
		var parts []string
		for _, s := range pending {
			p := s.Name
			if s.LastError != "" {
				p += " (" + s.LastError + ")"
			}
			parts = append(parts, p)
		}
		m.Fields = append(m.Fields, bot.Field{Title: "Still pending, retrying", Value: strings.Join(parts, "; ")})
	}
	return m
}
