package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
)

func (c *cli) kpiCommand() *cobra.Command {
	group := &cobra.Command{Use: "kpi", Short: "KPI data tools"}
	group.AddCommand(c.importCommand("Import KPI data points from CSV (period_start,period_end,brand,channel,metric,value,numerator,denominator)",
		func(ctx context.Context, cfg *config.Config, a *app.App, f app.Features, r io.Reader) (string, int, error) {
			report, err := kpi.ImportCSV(ctx, f.KPI, cfg, a.Clock.Now(), r)
			return report.String(), report.BadCount, err
		}))
	return group
}
