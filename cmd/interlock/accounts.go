package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/commands/accounts"
	"github.com/interlock-coe/interlock/integrations/logchat"
)

func (c *cli) accountsCommand() *cobra.Command {
	group := &cobra.Command{Use: "accounts", Short: "Social account inventory tools"}
	group.AddCommand(&cobra.Command{
		Use:   "import <file.csv>",
		Short: "Import social accounts from CSV (" + accounts.CSVHeader + ")",
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
			svc := a.Register(chat, chat).Accounts
			// cmd.Context() ends on SIGINT or SIGTERM; the import stops at the
			// next read. Rows are added as the CoE lead, who runs the tool.
			report, err := svc.Import(cmd.Context(), f, cfg.Org.CoELead)
			fmt.Fprintln(c.stdout, report.String())
			if err != nil {
				return err
			}
			if report.BadCount > 0 {
				return fmt.Errorf("%d rows were not imported", report.BadCount)
			}
			return nil
		},
	})
	return group
}
