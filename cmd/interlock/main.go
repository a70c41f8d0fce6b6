// Command interlock is the Interlock chat-ops bot: `interlock shell` tries it
// in a terminal, `interlock serve` runs it for Slack, Discord and webhooks.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/supervise"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand(os.Stdin, os.Stdout, os.Stderr, os.Getenv).ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "interlock:", err)
		os.Exit(1)
	}
}

// cli carries what every subcommand needs: standard streams and the
// environment, injected so that tests run the real commands.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// platformBackoff paces the chat platform's reconnections (the
	// defaults when zero; tests make it short).
	platformBackoff supervise.Backoff
}

func newRootCommand(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *cobra.Command {
	root, _ := newCLI(stdin, stdout, stderr, getenv)
	return root
}

// newCLI returns the root command and the cli its subcommands share.
func newCLI(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) (*cobra.Command, *cli) {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := &cobra.Command{
		Use:           "interlock",
		Short:         "Chat-ops for a social media center of excellence",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(c.shellCommand(), c.serveCommand(), c.migrateCommand(), c.kpiCommand(), c.accountsCommand(), c.healthCommand(), c.versionCommand())
	return root, c
}

func (c *cli) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(c.stdout, "interlock", version)
		},
	}
}

// loadConfig reads the environment and the configuration it names.
func (c *cli) loadConfig() (*config.Config, error) {
	cfg, err := config.Load(config.FromEnviron(c.getenv))
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

// newLogger logs JSON to stderr at LOG_LEVEL.
func (c *cli) newLogger(level string, text bool) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if text {
		return slog.New(slog.NewTextHandler(c.stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(c.stderr, opts))
}
