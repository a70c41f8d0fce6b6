package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/cmd/interlock/app"
)

func (c *cli) migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations (PostgreSQL when DATABASE_URL is set, else the embedded store) and exit",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.loadConfig()
			if err != nil {
				return err
			}
			log := c.newLogger(cfg.Env.LogLevel, false)
			// Opening a store applies its pending migrations.
			a, err := app.Open(cmd.Context(), cfg, bot.SystemClock{}, log)
			if err != nil {
				return err
			}
			defer a.Close()
			target := "embedded store in " + cfg.Env.DataDir
			if cfg.Env.DatabaseURL != "" {
				target = "PostgreSQL"
			}
			fmt.Fprintf(c.stdout, "migrations applied to %s\n", target)
			return nil
		},
	}
}
