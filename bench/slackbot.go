package bench

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/config"
	slackchat "github.com/interlock-coe/interlock/integrations/slack"
	"github.com/interlock-coe/interlock/integrations/web"
)

// signingSecret signs the benchmark's Slack requests.
const signingSecret = "bench-signing-secret"

// slackBot is Interlock in Slack HTTP mode, built as `interlock serve`
// builds it (app.Open, the Slack adapter, every feature registered, the
// metrics middleware) and served on 127.0.0.1, talking to a fake Slack.
type slackBot struct {
	App     *app.App
	Adapter *slackchat.Adapter
	Slack   *fakeSlack
	Server  *server
	Config  *config.Config
}

func startSlackBot(ctx context.Context, b backend, delay time.Duration, onReply func(string, time.Time), log *slog.Logger) (*slackBot, error) {
	cfg, err := loadConfig(b)
	if err != nil {
		return nil, err
	}
	s := &slackBot{Config: cfg, Slack: newFakeSlack(cfg, delay, onReply)}
	if s.App, err = openApp(ctx, cfg, b, log); err != nil {
		s.Slack.Close()
		return nil, err
	}
	s.Adapter, err = slackchat.New(slackchat.Options{
		BotToken: "xoxb-bench", SigningSecret: signingSecret, APIURL: s.Slack.URL(),
		Directory: cfg, Dispatcher: s.App.Router, Logger: log, Clock: s.App.Clock,
	})
	if err != nil {
		s.Close()
		return nil, err
	}
	m := web.NewMetrics()
	s.App.Router.Use(m.Middleware())
	s.App.Register(s.Adapter, app.Directory{Config: cfg, Prefixes: []string{"slack-"}})
	mux := http.NewServeMux()
	s.Adapter.Routes(mux)
	if s.Server, err = startServer(mux); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close stops the server, drains the adapter and closes the app.
func (s *slackBot) Close() {
	if s.Server != nil {
		s.Server.Close()
	}
	if s.Adapter != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = s.Adapter.Shutdown(ctx)
		cancel()
	}
	if s.App != nil {
		_ = s.App.Close()
	}
	s.Slack.Close()
}

// slashCommand is the form Slack posts for a slash command.
func slashCommand(command, text, user, channel, trigger, responseURL string) string {
	return url.Values{
		"command": {command}, "text": {text}, "user_id": {user}, "channel_id": {channel},
		"trigger_id": {trigger}, "response_url": {responseURL}, "team_id": {"T0BENCH"},
	}.Encode()
}

// signedRequest is a POST signed as Slack signs it (v0 HMAC-SHA256 of
// "v0:timestamp:body"), timestamped now.
func signedRequest(ctx context.Context, target, body string) (*http.Request, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(signingSecret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return r, nil
}

// post sends r and wants status want, reading the whole answer so that
// the connection is reused.
func post(client *http.Client, r *http.Request, want int) error {
	resp, err := client.Do(r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s answered %d, want %d", r.URL.Path, resp.StatusCode, want)
	}
	return nil
}
