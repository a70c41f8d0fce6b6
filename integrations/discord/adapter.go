// Package discord connects Interlock to Discord through discordgo: the
// router's commands become application commands, interactions arriving over
// the gateway or over HTTP become bot.Requests, and the Adapter implements
// bot.Chat (plus Pinner, Updater, Archiver and Uploader) with private
// channels, embeds, buttons and attachments. discordgo types never leave
// this package.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/config"
)

// Platform is the Request.Platform of Discord requests.
const Platform = "discord"

// defaultDeferAfter is how long a command may take before its interaction
// is acknowledged with a deferred response; Discord allows 3 seconds.
const defaultDeferAfter = 2 * time.Second

// Directory maps Discord users to person handles and back. *config.Config
// satisfies it.
type Directory interface {
	PersonByDiscordID(id string) (config.Person, bool)
	Person(id string) (config.Person, bool)
}

// Dispatcher runs typed commands and lists their definitions. *bot.Router
// satisfies it.
type Dispatcher interface {
	Handle(ctx context.Context, req bot.Request, resp bot.Responder) error
	Commands() []*bot.Command
}

// Options configure an Adapter.
type Options struct {
	BotToken   string // DISCORD_BOT_TOKEN, without the "Bot " prefix
	AppID      string // DISCORD_APP_ID
	PublicKey  string // DISCORD_PUBLIC_KEY (hex); empty refuses HTTP interactions
	GuildID    string // DISCORD_GUILD_ID
	APIURL     string // DISCORD_API_URL: replaces https://discord.com (tests, proxies)
	Directory  Directory
	Dispatcher Dispatcher
	// Buttons keeps the actions of buttons too long for a custom id, so
	// that any replica, and a restarted one, answers their clicks.
	Buttons    bot.ButtonStore
	Logger     *slog.Logger
	Clock      bot.Clock    // SystemClock when nil
	HTTPClient *http.Client // its Transport and Timeout are used for REST calls
	// DeferAfter is how long a command may run before the interaction is
	// acknowledged as deferred and answered later (2s when zero).
	DeferAfter time.Duration
	// Status, when set, is told when the gateway connects (nil) and drops.
	Status func(error)
	// MaxFileSize is the largest file, and the most bytes of files in one
	// message, sent to Discord (DefaultMaxFileSize, 10 MiB, when zero;
	// boosted servers take 50 or 100 MiB).
	MaxFileSize int64
}

// Adapter is Interlock on Discord. It is safe for concurrent use.
type Adapter struct {
	session     *discordgo.Session
	appID       string
	guildID     string
	publicKey   ed25519.PublicKey
	dir         Directory
	disp        Dispatcher
	log         *slog.Logger
	clock       bot.Clock
	deferAfter  time.Duration
	status      func(error)
	maxFileSize int64

	catalogOnce sync.Once
	cat         *catalog
	buttons     bot.ButtonStore
	channels    channelCache
	rooms       roomKinds
	dmMu        sync.Mutex
	dms         map[string]string // Discord user id -> DM channel id
	roomsMu     sync.Mutex        // one room or category created at a time
	botMu       sync.Mutex
	botID       string

	workMu   sync.Mutex
	work     sync.WaitGroup
	closing  bool
	gateway  atomic.Bool
	handlers []func()
}

// New returns an Adapter. It does not touch the network: call
// RegisterCommands on start, Routes for HTTP interactions and Open for the
// gateway.
func New(opts Options) (*Adapter, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	key, err := parsePublicKey(opts.PublicKey)
	if err != nil {
		return nil, err
	}
	session, err := discordgo.New("Bot " + opts.BotToken)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	log := opts.Logger.With("platform", Platform)
	client, err := restClient(opts.HTTPClient, opts.APIURL, log)
	if err != nil {
		return nil, err
	}
	session.Client = client
	session.ShouldRetryOnRateLimit = true
	session.Identify.Intents = discordgo.IntentsGuilds
	session.LogLevel = libraryLogLevel(log)
	a := &Adapter{
		session: session, appID: opts.AppID, guildID: opts.GuildID, publicKey: key,
		dir: opts.Directory, disp: opts.Dispatcher, log: log, clock: opts.Clock,
		deferAfter: opts.DeferAfter, buttons: opts.Buttons, dms: map[string]string{},
		status: opts.Status, maxFileSize: opts.MaxFileSize,
	}
	if a.clock == nil {
		a.clock = bot.SystemClock{}
	}
	if a.deferAfter <= 0 {
		a.deferAfter = defaultDeferAfter
	}
	if a.maxFileSize <= 0 {
		a.maxFileSize = DefaultMaxFileSize
	}
	a.channels.clock = a.clock
	a.addHandlers()
	return a, nil
}

func (o *Options) validate() error {
	var missing []string
	for name, v := range map[string]string{"bot token": o.BotToken, "app id": o.AppID, "guild id": o.GuildID} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if o.Directory == nil {
		missing = append(missing, "directory")
	}
	if o.Dispatcher == nil {
		missing = append(missing, "dispatcher")
	}
	if o.Buttons == nil {
		missing = append(missing, "button store")
	}
	if o.Logger == nil {
		missing = append(missing, "logger")
	}
	if len(missing) > 0 {
		return fmt.Errorf("discord: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

func parsePublicKey(h string) (ed25519.PublicKey, error) {
	if h == "" {
		return nil, nil
	}
	key, err := hex.DecodeString(strings.TrimSpace(h))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, errors.New("discord: public key must be 64 hex digits (DISCORD_PUBLIC_KEY)")
	}
	return key, nil
}

// addHandlers subscribes to gateway interactions and to rate-limit notices.
func (a *Adapter) addHandlers() {
	a.handlers = append(a.handlers,
		a.session.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
			a.serveGatewayInteraction(ic.Interaction)
		}),
		a.session.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) {
			a.log.Info("discord rate limit; waiting", "url", redactPath(rl.URL), "retry_after", rl.RetryAfter)
		}),
		a.session.AddHandler(func(*discordgo.Session, *discordgo.Connect) { a.report(nil) }),
		a.session.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { a.report(errGatewayDropped) }),
	)
}

// errGatewayDropped is the state while discordgo reconnects the gateway.
var errGatewayDropped = errors.New("discord gateway disconnected; reconnecting")

// report tells Options.Status, if set, about the gateway's state.
func (a *Adapter) report(err error) {
	if a.status != nil {
		a.status(err)
	}
}

// Open connects to the gateway so that interactions arrive over it (when no
// interactions endpoint URL is set in the Developer Portal).
func (a *Adapter) Open(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.session.Open(); err != nil {
		return fmt.Errorf("open discord gateway: %w", err)
	}
	a.gateway.Store(true)
	a.log.Info("discord gateway connected")
	return nil
}

// Close disconnects from the gateway.
func (a *Adapter) Close() error {
	if !a.gateway.Swap(false) {
		return nil
	}
	if err := a.session.Close(); err != nil {
		return fmt.Errorf("close discord gateway: %w", err)
	}
	return nil
}

// Ping checks the bot token against Discord (GET /users/@me), for
// readiness checks.
func (a *Adapter) Ping(ctx context.Context) error {
	if _, err := a.session.User("@me", ctxOpt(ctx)); err != nil {
		return fmt.Errorf("discord users/@me: %w", err)
	}
	return nil
}

// Shutdown stops taking interactions, waits for those in progress (or for
// ctx to end) and closes the gateway.
func (a *Adapter) Shutdown(ctx context.Context) error {
	a.workMu.Lock()
	a.closing = true
	a.workMu.Unlock()
	done := make(chan struct{})
	go func() {
		a.work.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("discord: interactions still running: %w", ctx.Err())
	}
	for _, remove := range a.handlers {
		remove()
	}
	return errors.Join(err, a.Close())
}

// begin registers an interaction in progress; it is false once shutting
// down. Every true must be matched by a.work.Done().
func (a *Adapter) begin() bool {
	a.workMu.Lock()
	defer a.workMu.Unlock()
	if a.closing {
		return false
	}
	a.work.Add(1)
	return true
}

// catalog returns the command catalog, built from the dispatcher's
// definitions on first use.
func (a *Adapter) catalog() *catalog {
	a.catalogOnce.Do(func() { a.cat = newCatalog(a.disp.Commands(), a.log) })
	return a.cat
}

// handleOf returns the person handle of a Discord user: the directory's, or
// "discord-<id>" for someone it does not know.
func (a *Adapter) handleOf(discordID string) string {
	if p, ok := a.dir.PersonByDiscordID(discordID); ok && p.ID != "" {
		return p.ID
	}
	return "discord-" + discordID
}

// discordID returns the Discord user id of a person handle, or "".
func (a *Adapter) discordID(handle string) string {
	handle = strings.TrimPrefix(handle, "@")
	if p, ok := a.dir.Person(handle); ok && p.DiscordID != "" {
		return p.DiscordID
	}
	if id, ok := strings.CutPrefix(handle, "discord-"); ok && isSnowflake(id) {
		return id
	}
	return ""
}

// ctxOpt makes a REST call follow ctx.
func ctxOpt(ctx context.Context) discordgo.RequestOption { return discordgo.WithContext(ctx) }
