package discord

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bwmarrin/discordgo"
)

// RegisterCommands makes the guild's application commands match the
// router's definitions. It compares with what Discord has and overwrites
// them in one bulk call only when they differ, so restarts cost one GET.
func (a *Adapter) RegisterCommands(ctx context.Context) error {
	want := a.catalog().applicationCommands()
	have, err := a.session.ApplicationCommands(a.appID, a.guildID, ctxOpt(ctx))
	if err != nil {
		return fmt.Errorf("list discord application commands: %w", err)
	}
	if sameCommands(want, have) {
		a.log.Info("discord application commands unchanged", "commands", len(want))
		return nil
	}
	if _, err := a.session.ApplicationCommandBulkOverwrite(a.appID, a.guildID, want, ctxOpt(ctx)); err != nil {
		return fmt.Errorf("register discord application commands: %w", err)
	}
	a.log.Info("discord application commands registered", "commands", len(want))
	return nil
}

// canonCommand is the part of an application command that registration
// sets, in a form where what Discord echoes back compares equal.
type canonCommand struct {
	Name        string
	Description string
	Type        discordgo.ApplicationCommandType
	Options     []canonOption
}

type canonOption struct {
	Type        discordgo.ApplicationCommandOptionType
	Name        string
	Description string
	Required    bool
	Choices     []string
	MinValue    *float64
	Options     []canonOption
}

// sameCommands reports whether two command lists register the same
// commands, in any order.
func sameCommands(want, have []*discordgo.ApplicationCommand) bool {
	return canonJSON(want) == canonJSON(have)
}

func canonJSON(cmds []*discordgo.ApplicationCommand) string {
	out := make([]canonCommand, 0, len(cmds))
	for _, c := range cmds {
		t := c.Type
		if t == 0 {
			t = discordgo.ChatApplicationCommand
		}
		out = append(out, canonCommand{Name: c.Name, Description: c.Description, Type: t, Options: canonOptions(c.Options)})
	}
	slices.SortFunc(out, func(x, y canonCommand) int { return cmp.Compare(x.Name, y.Name) })
	b, _ := json.Marshal(out) // plain structs: cannot fail
	return string(b)
}

func canonOptions(opts []*discordgo.ApplicationCommandOption) []canonOption {
	var out []canonOption
	for _, o := range opts {
		c := canonOption{Type: o.Type, Name: o.Name, Description: o.Description, Required: o.Required, MinValue: o.MinValue, Options: canonOptions(o.Options)}
		for _, ch := range o.Choices {
			c.Choices = append(c.Choices, ch.Name+"="+fmt.Sprint(ch.Value))
		}
		out = append(out, c)
	}
	return out
}
