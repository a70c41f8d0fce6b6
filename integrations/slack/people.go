package slack

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/slack-go/slack"
	"golang.org/x/sync/errgroup"
)

// unknownPrefix starts the handle of a Slack user the directory does not
// know: "slack-u0123abc".
const unknownPrefix = "slack-"

// people maps Slack user ids to person handles and back, from the
// directory first and Slack's user records second, caching both ways.
type people struct {
	a       *Adapter
	dir     Directory
	mu      sync.Mutex
	handles map[string]string // Slack user id → handle
	ids     map[string]string // handle → Slack user id; "" = no Slack account
}

func newPeople(a *Adapter, dir Directory) *people {
	return &people{a: a, dir: dir, handles: map[string]string{}, ids: map[string]string{}}
}

func (p *people) cached(id string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	h, ok := p.handles[id]
	return h, ok
}

func (p *people) remember(id, handle string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id != "" {
		p.handles[id] = handle
	}
	p.ids[handle] = id
}

// handle returns the person handle of a Slack user: the configured person
// with that Slack id, else the one with the user's email, else
// "slack-<id>". A failed Slack lookup is not cached, so it is tried again.
func (p *people) handle(ctx context.Context, id string) string {
	if h, ok := p.cached(id); ok {
		return h
	}
	h, final := p.find(ctx, id)
	if final {
		p.remember(id, h)
	}
	return h
}

// find looks a Slack user up; final is false when Slack could not answer,
// so that the provisional handle is not cached.
func (p *people) find(ctx context.Context, id string) (handle string, final bool) {
	fallback := unknownPrefix + strings.ToLower(id)
	if p.dir == nil {
		return fallback, true
	}
	if person, ok := p.dir.PersonBySlackID(id); ok {
		return person.ID, true
	}
	var user *slack.User
	err := p.a.call(ctx, "users.info", "", func(ctx context.Context) (err error) {
		user, err = p.a.api.GetUserInfoContext(ctx, id)
		return err
	})
	switch {
	case slackError(err) == "user_not_found":
		return fallback, true
	case err != nil:
		p.a.log.Warn("cannot look up Slack user; using a provisional handle", "slack_user", id, "err", err)
		return fallback, false
	case user.Profile.Email == "":
		return fallback, true
	}
	if person, ok := p.dir.PersonByEmail(user.Profile.Email); ok {
		return person.ID, true
	}
	return fallback, true
}

// slackID returns the Slack user id of a person handle, or "" when the
// person has no Slack account the bot can find.
func (p *people) slackID(ctx context.Context, handle string) (string, error) {
	p.mu.Lock()
	id, ok := p.ids[handle]
	p.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := p.lookup(ctx, handle)
	if err != nil {
		return "", err
	}
	p.remember(id, handle)
	return id, nil
}

func (p *people) lookup(ctx context.Context, handle string) (string, error) {
	var person struct{ SlackID, Email string }
	if p.dir != nil {
		if found, ok := p.dir.Person(handle); ok {
			person.SlackID, person.Email = found.SlackID, found.Email
		}
	}
	switch {
	case person.SlackID != "":
		return person.SlackID, nil
	case person.Email != "":
		return p.byEmail(ctx, person.Email)
	case strings.HasPrefix(handle, unknownPrefix):
		return strings.ToUpper(strings.TrimPrefix(handle, unknownPrefix)), nil
	}
	return "", nil
}

func (p *people) byEmail(ctx context.Context, email string) (string, error) {
	var user *slack.User
	err := p.a.call(ctx, "users.lookupByEmail", "", func(ctx context.Context) (err error) {
		user, err = p.a.api.GetUserByEmailContext(ctx, email)
		return err
	})
	if slackError(err) == "users_not_found" {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return user.ID, nil
}

// slackError returns the error code of a Slack API error response ("" for
// other errors and nil).
func slackError(err error) string {
	var resp slack.SlackErrorResponse
	if errors.As(err, &resp) {
		return resp.Err
	}
	return ""
}

// knows reports whether handle names a person the bot could find on Slack,
// so that mentions of other words are not looked up.
func (p *people) knows(handle string) bool {
	p.mu.Lock()
	_, cached := p.ids[handle]
	p.mu.Unlock()
	if cached || strings.HasPrefix(handle, unknownPrefix) {
		return true
	}
	if p.dir == nil {
		return false
	}
	_, ok := p.dir.Person(handle)
	return ok
}

// Warm looks up the Slack accounts of the given people (by slack_id or
// email) ahead of time, so that the first crisis room after a start invites
// them without a round of lookups on its critical path. Failures are only
// logged: the lookup is tried again when the person is needed.
func (a *Adapter) Warm(ctx context.Context, handles []string) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4) // users.lookupByEmail is Tier 4; stay well inside it
	for _, h := range handles {
		g.Go(func() error {
			if _, err := a.people.slackID(gctx, h); err != nil {
				a.log.Debug("cannot look up Slack account yet", "person", h, "err", err)
			}
			return nil
		})
	}
	_ = g.Wait()
}
