// Package slack connects Interlock to a Slack workspace with
// github.com/slack-go/slack. Inbound, it receives slash commands, button
// clicks and events over signed HTTP or Socket Mode, acknowledges them at
// once and hands each one to the router as a bot.Request. Outbound, it
// implements bot.Chat, bot.Pinner, bot.Updater and bot.Archiver with Block
// Kit messages and bot.Uploader with Slack's external file uploads,
// retrying rate limits and pacing posts per channel.
//
// slack-go types never leave this package.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
)

// Platform is the bot.Request.Platform of requests from Slack.
const Platform = "slack"

// workTimeout bounds one inbound request's work, retries included.
const workTimeout = 5 * time.Minute

// Dispatcher runs inbound commands; *bot.Router satisfies it. It must
// de-duplicate by bot.Request.ID, since Slack delivers some requests twice.
type Dispatcher interface {
	Handle(ctx context.Context, req bot.Request, resp bot.Responder) error
}

// Directory finds the configured people; *config.Config satisfies it.
type Directory interface {
	PersonBySlackID(id string) (config.Person, bool)
	PersonByEmail(email string) (config.Person, bool)
	Person(id string) (config.Person, bool)
}

// Options configure an Adapter. BotToken is required; SigningSecret enables
// the HTTP endpoints and AppToken enables Socket Mode.
type Options struct {
	BotToken      string // xoxb-…
	AppToken      string // xapp-…, for Socket Mode
	SigningSecret string // for HTTP mode
	APIURL        string // SLACK_API_URL; "" = Slack's; a missing trailing "/" is added
	Directory     Directory
	Dispatcher    Dispatcher
	Logger        *slog.Logger
	Clock         bot.Clock    // nil = the system clock
	HTTPClient    *http.Client // nil = a client with a 30 s timeout
}

// Adapter is a Slack workspace: inbound requests go to the Dispatcher and
// outbound operations implement bot.Chat and its optional interfaces.
type Adapter struct {
	api        *slack.Client
	appToken   string
	verify     verifier
	dispatcher Dispatcher
	log        *slog.Logger
	clock      bot.Clock
	http       *http.Client
	people     *people
	channels   *channels
	pacer      *pacer
	queue      *channelQueue
	sleep      func(ctx context.Context, d time.Duration) error

	base   context.Context // parent of all background work
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Compile-time checks: Adapter offers every chat ability, and the core's
// router and configuration fit the interfaces declared here.
var (
	_ bot.Chat     = (*Adapter)(nil)
	_ bot.Pinner   = (*Adapter)(nil)
	_ bot.Updater  = (*Adapter)(nil)
	_ bot.Archiver = (*Adapter)(nil)
	_ bot.Uploader = (*Adapter)(nil)
	_ Dispatcher   = (*bot.Router)(nil)
	_ Directory    = (*config.Config)(nil)
)

// New returns an Adapter. It makes no network calls.
func New(opts Options) (*Adapter, error) {
	if opts.BotToken == "" {
		return nil, errors.New("slack: a bot token is required")
	}
	a := &Adapter{
		appToken:   opts.AppToken,
		dispatcher: opts.Dispatcher,
		log:        opts.Logger,
		clock:      opts.Clock,
		http:       opts.HTTPClient,
		sleep:      sleepContext,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.clock == nil {
		a.clock = bot.SystemClock{}
	}
	if a.http == nil {
		a.http = &http.Client{Timeout: 30 * time.Second}
	}
	a.verify = verifier{secret: []byte(opts.SigningSecret), clock: a.clock}
	a.api = slack.New(opts.BotToken, apiOptions(opts, a.http)...)
	a.people = newPeople(a, opts.Directory)
	a.channels = newChannels(a)
	a.pacer = newPacer(a.clock, time.Second)
	a.queue = newChannelQueue()
	a.base, a.cancel = context.WithCancel(context.Background())
	return a, nil
}

func apiOptions(opts Options, client *http.Client) []slack.Option {
	o := []slack.Option{slack.OptionHTTPClient(client)}
	if opts.APIURL != "" {
		u := opts.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		o = append(o, slack.OptionAPIURL(u))
	}
	if opts.AppToken != "" {
		o = append(o, slack.OptionAppLevelToken(opts.AppToken))
	}
	return o
}

// start runs fn in the background as tracked work, unless the adapter is
// shutting down; it reports whether fn was started.
func (a *Adapter) start(fn func(ctx context.Context)) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return false
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(a.base, workTimeout)
		defer cancel()
		fn(ctx)
	}()
	return true
}

// Shutdown stops accepting inbound requests and waits for the ones in
// flight to finish. If ctx ends first, the remaining work is cancelled and
// ctx's error is returned.
func (a *Adapter) Shutdown(ctx context.Context) error {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() {
		a.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		a.cancel()
		return nil
	case <-ctx.Done():
		a.cancel()
		return fmt.Errorf("slack: in-flight requests cancelled: %w", ctx.Err())
	}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Ping checks the bot token with auth.test, for readiness checks.
func (a *Adapter) Ping(ctx context.Context) error {
	if _, err := a.api.AuthTestContext(ctx); err != nil {
		return fmt.Errorf("slack auth.test: %w", err)
	}
	return nil
}
