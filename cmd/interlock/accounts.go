package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/cmd/interlock/app"
	"github.com/interlock-coe/interlock/commands/accounts"
	"github.com/interlock-coe/interlock/config"
)

func (c *cli) accountsCommand() *cobra.Command {
	group := &cobra.Command{Use: "accounts", Short: "Social account inventory tools"}
	group.AddCommand(c.importCommand("Import social accounts from CSV ("+accounts.CSVHeader+")",
		func(ctx context.Context, cfg *config.Config, _ *app.App, f app.Features, r io.Reader) (string, int, error) {
			// Rows are added as the CoE lead, who runs the tool.
			report, err := f.Accounts.Import(ctx, r, cfg.Org.CoELead)
			return report.String(), report.BadCount, err
		}))
	return group
}
