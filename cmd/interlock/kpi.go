package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/integrations/logchat"
)

func (c *cli) kpiCommand() *cobra.Command {
	group := &cobra.Command{Use: "kpi", Short: "KPI data tools"}
	group.AddCommand(&cobra.Command{
		Use:   "import <file.csv>",
		Short: "Import KPI data points from CSV (period_start,period_end,brand,channel,metric,value,numerator,denominator)",
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
			// Through the service, so cached answers are cleared at once.
			svc := a.Register(chat, chat).KPI
			// cmd.Context() ends on SIGINT or SIGTERM (main.go); the import stops
			// at the next read.
			report, err := kpi.ImportCSV(cmd.Context(), svc, cfg, a.Clock.Now(), f)
			fmt.Fprintln(c.stdout, report.String())
			if err != nil {
				return err
			}
			if report.BadCount > 0 {
				return fmt.Errorf("%d bad rows were not imported", report.BadCount)
			}
			return nil
		},
	})
	return group
}
