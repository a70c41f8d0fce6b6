package bot_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func TestRouterListsThePermissionsItsCommandsUse(t *testing.T) {
	r := bot.NewRouter(slog.New(slog.NewTextHandler(io.Discard, nil)), nil, nil)
	h := func(context.Context, *bot.Context) error { return nil }
	r.Register(
		bot.Command{Group: "role", Name: "assign", Permission: "role.assign", Handler: h},
		bot.Command{Group: "role", Name: "remove", Permission: "role.remove", Handler: h},
		bot.Command{Group: "crisis", Name: "sev", Checks: []string{"crisis.sev"}, Handler: h},
		bot.Command{Group: "crisis", Name: "again", Permission: "role.assign", Checks: []string{"crisis.sev"}, Handler: h},
		bot.Command{Group: "decision", Handler: h},
	)
	if got, want := r.Permissions(), []string{"crisis.sev", "role.assign", "role.remove"}; !slices.Equal(got, want) {
		t.Errorf("Permissions = %q, want %q", got, want)
	}
}
