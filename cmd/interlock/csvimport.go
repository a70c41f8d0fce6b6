package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/logchat"
)

// csvImport reads one CSV file into a feature and says what it did: the
// report to print and how many rows it refused.
type csvImport func(ctx context.Context, cfg *config.Config, a *app.App, f app.Features, r io.Reader) (report string, bad int, err error)

// importCommand is an "import <file.csv>" tool: it opens the store as serve
// does and hands the file to the feature, through its service so that
// cached answers are cleared at once. Refused rows make the exit status 1.
func (c *cli) importCommand(short string, run csvImport) *cobra.Command {
	return &cobra.Command{
		Use:   "import <file.csv>",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := c.loadConfig()
			if err != nil {
				return err
			}
			log := c.newLogger(orDefault(c.getenv("LOG_LEVEL"), "warn"), true)
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("open %s: %w", args[0], err)
			}
			defer f.Close()
			a, err := app.Open(cmd.Context(), cfg, bot.SystemClock{}, log)
			if err != nil {
				return err
			}
			defer a.Close()
			chat := logchat.New(log)
			// cmd.Context() ends on SIGINT or SIGTERM (main.go); the import
			// stops at the next read.
			report, bad, err := run(cmd.Context(), cfg, a, a.Register(chat, chat), f)
			fmt.Fprintln(c.stdout, report)
			if err != nil {
				return err
			}
			switch {
			case bad == 1:
				return errors.New("1 row was not imported")
			case bad > 1:
				return fmt.Errorf("%d rows were not imported", bad)
			}
			return nil
		},
	}
}
