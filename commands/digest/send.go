package digest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// Each digest has one durable timer per occurrence, keyed by digest and
// date, so every replica that arms it arms the same row and the store's
// claim fires it once. What was posted is recorded per period and part
// (message, each chart): a timer retried after a failed upload posts only
// what is missing, never the message twice.
const timerKind = "digest.send"

// occurrence is the timer's payload.
type occurrence struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

func timerKey(name, period string) string { return "digest:" + name + ":" + period }

// Arm books the next occurrence of every configured digest.
func (s *Service) Arm(ctx context.Context) error {
	for _, d := range s.Config.Digests {
		if err := s.arm(ctx, d, s.Clock.Now()); err != nil {
			return err
		}
	}
	return nil
}

// arm books d's first occurrence after t.
func (s *Service) arm(ctx context.Context, d config.Digest, t time.Time) error {
	sched, err := scheduleOf(d)
	if err != nil {
		return err
	}
	at := sched.Next(t)
	key := timerKey(d.Name, periodKey(at, d.Location))
	if err := s.Scheduler.Schedule(ctx, timerKind, key, at, occurrence{Name: d.Name, At: at}); err != nil {
		return fmt.Errorf("arm digest %s: %w", d.Name, err)
	}
	return nil
}

// fire posts the digest of one occurrence, then arms the next.
func (s *Service) fire(ctx context.Context, t bot.Timer) error {
	var occ occurrence
	if err := json.Unmarshal([]byte(t.Payload), &occ); err != nil {
		return fmt.Errorf("decode %s payload: %w", t.Key, err)
	}
	d, ok := s.Config.Digest(occ.Name)
	if !ok {
		s.Log.Warn("digest timer for a digest no longer configured", "key", t.Key)
		return nil
	}
	if err := s.deliver(ctx, d, periodKey(occ.At, d.Location)); err != nil {
		return err
	}
	next := occ.At
	if now := s.Clock.Now(); now.After(next) {
		next = now // after an outage, resume from now rather than catch up
	}
	return s.arm(ctx, d, next)
}

// deliver builds d and posts what period has not posted yet: the message,
// then each chart. Each part is reserved in the store before it is posted
// and released when posting fails, so that a replica firing the same
// period, or a retry after a failed upload, never posts a part twice.
func (s *Service) deliver(ctx context.Context, d config.Digest, period string) error {
	rep, err := s.Build(ctx, d)
	if err != nil {
		return err
	}
	err = s.once(ctx, d, period, partMessage, func() error {
		_, err := s.Chat.Post(ctx, d.Channel, rep.Message)
		return err
	})
	if err != nil {
		return fmt.Errorf("post digest %s: %w", d.Name, err)
	}
	up, ok := s.Chat.(bot.Uploader)
	if !ok {
		return nil // a chat without files still gets the digest's text
	}
	for _, f := range rep.Files {
		if err := s.once(ctx, d, period, f.Name, func() error { return up.Upload(ctx, d.Channel, f) }); err != nil {
			return fmt.Errorf("upload %s of digest %s: %w", f.Name, d.Name, err)
		}
	}
	return nil
}

const partMessage = "message"

// once runs post unless part of period is recorded already; it records the
// part first and forgets it again when post fails.
func (s *Service) once(ctx context.Context, d config.Digest, period, part string, post func() error) error {
	mine, err := s.Store.RecordDigestPart(ctx, store.DigestPart{Digest: d.Name, Period: period, Part: part, PostedAt: s.Clock.Now()})
	if err != nil || !mine {
		return err
	}
	if err := post(); err != nil {
		if ferr := s.Store.ForgetDigestPart(context.WithoutCancel(ctx), d.Name, period, part); ferr != nil {
			s.Log.Error("digest part stays recorded though not posted", "digest", d.Name, "period", period, "part", part, "err", ferr)
		}
		return err
	}
	return nil
}
