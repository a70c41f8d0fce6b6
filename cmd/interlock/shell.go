package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/integrations/shell"
	"github.com/interlock-coe/interlock/integrations/web"
)

func (c *cli) shellCommand() *cobra.Command {
	var user, channel, httpAddr string
	cmd := &cobra.Command{
		Use:   "shell",
		Short: "Try every command in a local chat in this terminal",
		Long: `Each line is a command as the current user in the current channel.
Prefix a line with @user and/or #channel to speak as someone or somewhere.
Meta-commands: :as <user>, :in <#channel>, :advance <duration>, :rooms, :users, :quit.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.loadConfig()
			if err != nil {
				return err
			}
			cfg.Env.MetricsAddr = "" // a demo: /metrics stays beside the webhooks
			if cfg.Env.PublicURL == "" && httpAddr != "" {
				// A demo on this machine: links point at the shell's own listener.
				cfg.Env.PublicURL = localURL(httpAddr)
			}
			// The shell's output is the conversation; only warnings go to
			// stderr unless LOG_LEVEL asks for more.
			log := c.newLogger(orDefault(c.getenv("LOG_LEVEL"), "warn"), true)
			routeLibraryLogs(log)
			if err := os.MkdirAll(cfg.Env.DataDir, 0o750); err != nil {
				return fmt.Errorf("create data dir: %w", err)
			}
			clock := shell.NewClock()
			a, err := app.Open(cmd.Context(), cfg, clock, log)
			if err != nil {
				return err
			}
			defer a.Close()
			people := map[string]string{}
			for _, p := range cfg.People {
				people[strings.ToLower(p.ID)] = p.Name
			}
			chat, err := shell.NewChat(c.stdout, people, filepath.Join(cfg.Env.DataDir, "shell-rooms.json"))
			if err != nil {
				return err
			}
			m := web.NewMetrics()
			instrument(a, m)
			f := a.Register(chat, chat)
			if err := a.CheckPermissions(); err != nil {
				return err
			}
			if httpAddr != "" {
				// Webhooks (listening, inbox, metrics) post into this shell.
				ctx, cancel := context.WithCancel(cmd.Context())
				defer cancel()
				mux := newMux(cfg, a, f, m, nil, log)
				bound := make(chan string, 1)
				go func() {
					if err := serveHTTP(ctx, httpAddr, mux, func(b string) { bound <- b }); err != nil {
						log.Error("shell http server", "err", err)
						close(bound)
					}
				}()
				if b, ok := <-bound; ok {
					if strings.HasSuffix(cfg.Env.PublicURL, ":0") { // the port is known only now
						f.Center.Settings.PublicURL = "http://" + b
						cfg.Env.PublicURL = f.Center.Settings.PublicURL
					}
					fmt.Fprintf(c.stdout, "webhooks and health on http://%s; command center at %s (sign in with /interlock center)\n", b, cfg.Env.PublicURL)
				}
			}
			interactive := isTerminal(c.stdin)
			if user == "" {
				user = cfg.Org.CoELead
			}
			sh := shell.New(shell.Options{
				Chat: chat, Dispatcher: a.Router, Timers: timers{a}, Clock: clock,
				User: strings.ToLower(strings.TrimPrefix(user, "@")), Channel: "#" + strings.TrimPrefix(channel, "#"),
				Interactive: interactive, Location: cfg.Org.Location,
			})
			// Timers that fell due while nobody was running fire now.
			if _, err := a.Scheduler.FireDue(cmd.Context()); err != nil {
				log.Warn("firing overdue timers failed", "err", err)
			}
			if interactive {
				fmt.Fprintf(c.stdout, "Interlock shell — %s (%s). You are @%s in %s. Type /interlock help or :help.\n",
					cfg.Org.Name, cfg.Source, sh.User, sh.Channel)
				if err := a.Scheduler.Start(cmd.Context(), time.Second); err != nil {
					return err
				}
			}
			return sh.Run(cmd.Context(), c.stdin)
		},
	}
	cmd.Flags().StringVar(&user, "as", "", "speak as this person (default: the CoE lead)")
	cmd.Flags().StringVar(&channel, "in", "general", "start in this channel")
	cmd.Flags().StringVar(&httpAddr, "http", "", "also serve webhooks and health on this address (e.g. :8080)")
	return cmd
}

// timers lets the shell step the scheduler through due timers.
type timers struct{ a *app.App }

func (t timers) FireDue(ctx context.Context) (int, error) { return t.a.Scheduler.FireDue(ctx) }
func (t timers) NextTimerDue(ctx context.Context) (time.Time, bool, error) {
	return t.a.Store.NextTimerDue(ctx)
}

func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// localURL is the address of a listener on addr as this machine's browser
// reaches it: ":8080" is http://localhost:8080.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
