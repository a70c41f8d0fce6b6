package shell

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/interlock-coe/interlock/bot"
)

// Dispatcher runs commands; *bot.Router is one.
type Dispatcher interface {
	Handle(ctx context.Context, req bot.Request, resp bot.Responder) error
}

// Timers fires durable timers as the shell's clock moves.
type Timers interface {
	FireDue(ctx context.Context) (int, error)
	NextTimerDue(ctx context.Context) (time.Time, bool, error)
}

// Clock is the shell's clock: real time plus whatever :advance added.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
	now    func() time.Time
}

// NewClock returns a clock at real time.
func NewClock() *Clock { return &Clock{now: time.Now} }

// Now returns the shell's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now().Add(c.offset)
}

// moveTo moves the clock forward to t (never backward).
func (c *Clock) moveTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := t.Sub(c.now().Add(c.offset)); d > 0 {
		c.offset += d
	}
}

// Options configure a Shell.
type Options struct {
	Chat        *Chat
	Dispatcher  Dispatcher
	Timers      Timers
	Clock       *Clock
	User        string // the default speaker
	Channel     string // the default channel, "#general"
	Interactive bool   // print a prompt; do not echo input
	Location    *time.Location
}

// Shell reads command lines and runs them as the current user in the
// current channel.
type Shell struct {
	Options
	seq int
}

// New returns a shell.
func New(o Options) *Shell {
	if o.Channel == "" {
		o.Channel = "#general"
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	return &Shell{Options: o}
}

// Run reads lines until end of input or :quit, then finishes pending work:
// the timers that fell due while the lines ran fire before it returns. A
// line that fails is reported and the next one runs; only a failure to
// read the input is returned.
func (s *Shell) Run(ctx context.Context, in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for {
		if s.Interactive {
			s.Chat.say("%s @%s> ", s.Channel, s.User)
		}
		if !sc.Scan() {
			break
		}
		quit, err := s.Line(ctx, sc.Text())
		if err != nil {
			s.Chat.say("! %v\n", err)
		}
		if quit || ctx.Err() != nil {
			break
		}
	}
	s.finish(ctx)
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	return nil
}

// finish fires the timers due by now, so that a script's last commands
// have their effects before the shell exits.
func (s *Shell) finish(ctx context.Context) {
	if s.Timers == nil || ctx.Err() != nil {
		return
	}
	if _, err := s.Timers.FireDue(ctx); err != nil {
		s.Chat.say("! finishing pending work: %v\n", err)
	}
}

// Line runs one input line and reports whether the shell should quit.
func (s *Shell) Line(ctx context.Context, line string) (quit bool, err error) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "//") {
		return false, nil
	}
	if strings.HasPrefix(line, ":") {
		return s.meta(ctx, line)
	}
	user, channel, text, err := s.prefixes(line)
	if err != nil {
		return false, err
	}
	for _, w := range strings.Fields(text) {
		if h, err := bot.ParseMention(strings.TrimRight(w, ".,;:!?")); err == nil {
			s.Chat.join(h)
		}
	}
	if !s.Interactive {
		s.Chat.say("%s @%s › %s\n", channel, user, text)
	}
	s.seq++
	req := bot.Request{
		ID: fmt.Sprintf("shell:%d:%d", s.Clock.Now().UnixNano(), s.seq), Platform: "shell",
		User: user, Channel: channel, Text: text, Time: s.Clock.Now(),
	}
	// The router has already answered any error to the speaker.
	_ = s.Dispatcher.Handle(ctx, req, s.responder(user, channel))
	return false, nil
}

func (s *Shell) responder(user, channel string) bot.Responder {
	return bot.ResponderFunc(func(ctx context.Context, r bot.Reply) error {
		prefix := fmt.Sprintf("%s %s ›", channel, botName)
		if r.Replace {
			// The shell has no buttons to click; a request marked as a
			// click still shows what its message became.
			s.Chat.sayMessage(fmt.Sprintf("%s %s (updated the clicked message) ›", channel, botName), bot.PlainText(r.Message))
			return nil
		}
		if r.Private {
			prefix = fmt.Sprintf("%s %s (only @%s) ›", channel, botName, user)
			s.Chat.sayMessage(prefix, shellText(r.Message))
			return s.privateFiles(prefix, r.Files)
		}
		_, err := s.Chat.Post(ctx, channel, r.Message)
		return err
	})
}

// prefixes reads the one-line "@user" and "#channel" prefixes (either
// order) and returns the speaker, channel and the command text. A channel
// prefix that several rooms start with is an error.
func (s *Shell) prefixes(line string) (user, channel, text string, err error) {
	user, channel, text = s.User, s.Channel, line
	for i := 0; i < 2; i++ {
		word, rest := firstWord(text)
		switch {
		case strings.HasPrefix(word, "@"):
			h := strings.ToLower(word[1:])
			if !bot.ValidHandle(h) {
				return user, channel, text, nil
			}
			user = h
			s.Chat.join(user)
		case strings.HasPrefix(word, "#") && len(word) > 1:
			if channel, err = s.Chat.resolve(word); err != nil {
				return "", "", "", err
			}
		default:
			return user, channel, text, nil
		}
		text = rest
	}
	return user, channel, text, nil
}

// firstWord splits text at its first run of white space.
func firstWord(text string) (word, rest string) {
	i := strings.IndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return text, ""
	}
	return text[:i], strings.TrimSpace(text[i:])
}

func (s *Shell) meta(ctx context.Context, line string) (bool, error) {
	cmd, arg, _ := strings.Cut(strings.TrimPrefix(line, ":"), " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case "quit", "q", "exit":
		return true, nil
	case "as":
		h, err := bot.ParseMention("@" + strings.TrimPrefix(arg, "@"))
		if err != nil {
			return false, fmt.Errorf("usage: :as <user>")
		}
		s.Chat.join(h)
		s.User = h
		s.Chat.say("now speaking as @%s\n", h)
	case "in":
		if arg == "" {
			return false, fmt.Errorf("usage: :in <#channel>")
		}
		channel, err := s.Chat.resolve("#" + strings.TrimPrefix(arg, "#"))
		if err != nil {
			return false, err
		}
		s.Channel = channel
		s.Chat.say("now in %s\n", s.Channel)
	case "advance":
		d, err := bot.ParseDuration(arg)
		if err != nil {
			return false, fmt.Errorf("usage: :advance <duration>, e.g. :advance 31m")
		}
		return false, s.advance(ctx, d)
	case "rooms":
		s.Chat.printRooms()
	case "users":
		s.Chat.printPeople()
	case "help":
		s.Chat.say("%s\n", metaHelp)
	default:
		return false, fmt.Errorf("unknown meta-command :%s (try :help)", cmd)
	}
	return false, nil
}

const metaHelp = `Type commands like /interlock help. Prefix a line with @user and/or #channel to speak as someone or somewhere.
:as <user>          speak as another person from now on
:in <#channel>      move to another channel (unique prefixes of room names work)
:advance <duration> move the clock forward (e.g. 31m, 2h, 1d) and fire what falls due
:rooms              list rooms, members and topics
:users              list the people of the workspace
:quit               leave`

// advance moves the clock forward by d, stopping at every timer that falls
// due on the way so that each fires at its own time, in order.
func (s *Shell) advance(ctx context.Context, d time.Duration) error {
	target := s.Clock.Now().Add(d)
	// The bound stops a handler that keeps scheduling work "now" from
	// spinning the drill forever.
	for steps := 0; steps < 10000; steps++ {
		next, ok, err := s.Timers.NextTimerDue(ctx)
		if err != nil {
			return fmt.Errorf("advance: %w", err)
		}
		if !ok || next.After(target) {
			break
		}
		s.Clock.moveTo(next)
		if _, err := s.Timers.FireDue(ctx); err != nil {
			return fmt.Errorf("advance: %w", err)
		}
		if !s.Clock.Now().Before(target) {
			break
		}
	}
	s.Clock.moveTo(target)
	if _, err := s.Timers.FireDue(ctx); err != nil {
		return fmt.Errorf("advance: %w", err)
	}
	s.Chat.say("⏩ now %s\n", s.Clock.Now().In(s.Location).Format("Mon 2006-01-02 15:04 MST"))
	return nil
}
