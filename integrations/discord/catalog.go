package discord

import (
	"cmp"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// Discord's limits on application commands.
const (
	maxNameLen     = 32
	maxDescLen     = 100
	maxOptions     = 25 // options of a command, or subcommands of a group
	maxChoices     = 25
	maxChoiceLen   = 100
	maxCommandSize = 4000  // characters of names, descriptions and choices of one command
	bareSubcommand = "new" // the subcommand standing for a group's bare command
	runSubcommand  = "run" // /interlock run command:<any typed command>
	runOption      = "command"
)

// commandSpec is one router command as Discord sees it.
type commandSpec struct {
	path    string // typed path: "crisis open"
	summary string
	params  []param
	raw     bool // /interlock run: the option holds a whole typed command
}

// topCommand is one top-level Discord command: a router group.
type topCommand struct {
	name     string
	desc     string
	bare     *commandSpec // set when the group has no subcommands
	subs     map[string]*commandSpec
	subOrder []string
}

// catalog maps the router's definitions to Discord application commands
// and interactions back to typed commands. One top-level command per group;
// a group with both a bare command and subcommands gets the bare one as the
// subcommand "new"; /interlock also gets "run", which takes any typed
// command (for what Discord's options cannot express).
type catalog struct {
	tops  map[string]*topCommand
	order []string
}

func newCatalog(cmds []*bot.Command, log *slog.Logger) *catalog {
	var usages []string
	for _, c := range cmds {
		usages = append(usages, c.Args)
	}
	placeholders := placeholderWords(usages)
	cat := &catalog{tops: map[string]*topCommand{}}
	groups, order := groupCommands(cmds)
	for _, g := range order {
		cat.addGroup(g, groups[g], placeholders, log)
	}
	cat.addRun()
	return cat
}

func groupCommands(cmds []*bot.Command) (map[string][]*bot.Command, []string) {
	groups := map[string][]*bot.Command{}
	var order []string
	for _, c := range cmds {
		if _, seen := groups[c.Group]; !seen {
			order = append(order, c.Group)
		}
		groups[c.Group] = append(groups[c.Group], c)
	}
	return groups, order
}

func (cat *catalog) addGroup(group string, cmds []*bot.Command, placeholders map[string]bool, log *slog.Logger) {
	top := &topCommand{name: uniqueName(discordName(group), cat.tops), subs: map[string]*commandSpec{}}
	cat.tops[top.name] = top
	cat.order = append(cat.order, top.name)
	if len(cmds) == 1 && cmds[0].Name == "" {
		top.bare = newSpec(cmds[0], placeholders, log)
		top.desc = description(cmds[0].Summary, cmds[0].Usage())
		return
	}
	var names []string
	for _, c := range cmds {
		name := c.Name
		if name == "" {
			name = bareSubcommand
		}
		if len(top.subOrder) == maxOptions {
			log.Warn("discord: too many subcommands; the rest are reachable with /interlock run", "group", group, "dropped", c.Path())
			continue
		}
		sub := uniqueName(discordName(name), top.subs)
		top.subs[sub] = newSpec(c, placeholders, log)
		top.subOrder = append(top.subOrder, sub)
		names = append(names, sub)
	}
	top.desc = description("Interlock: "+strings.Join(names, ", "), "/"+group)
}

// addRun adds /interlock run, unless the router already defines it.
func (cat *catalog) addRun() {
	top, ok := cat.tops["interlock"]
	if !ok {
		top = &topCommand{name: "interlock", desc: "Interlock", subs: map[string]*commandSpec{}}
		cat.tops[top.name] = top
		cat.order = append(cat.order, top.name)
	}
	if top.bare != nil || top.subs[runSubcommand] != nil || len(top.subOrder) == maxOptions {
		return
	}
	top.subs[runSubcommand] = &commandSpec{
		path: "interlock run", summary: "Run any Interlock command as typed", raw: true,
		params: []param{{name: runOption, kind: kindString, required: true, rest: true, desc: "The command, e.g. /crisis list --all"}},
	}
	top.subOrder = append(top.subOrder, runSubcommand)
}

func newSpec(c *bot.Command, placeholders map[string]bool, log *slog.Logger) *commandSpec {
	// A flag the usage shows but the definition does not declare (a
	// placeholder such as /request's "[--field value…]") would be refused
	// by the router: it is not offered.
	params := slices.DeleteFunc(parseUsage(c.Args, placeholders), func(p param) bool {
		return p.flag != "" && !slices.Contains(c.Options, p.flag) && !slices.Contains(c.Switches, p.flag)
	})
	params = addUndeclaredFlags(params, c.Options, kindString)
	params = addUndeclaredFlags(params, c.Switches, kindBoolean)
	names := map[string]bool{}
	for i := range params {
		params[i].name = uniqueName(discordName(params[i].name), names)
		names[params[i].name] = true
	}
	if len(params) > maxOptions {
		log.Warn("discord: too many options; the rest are reachable with /interlock run", "command", c.Path())
		params = params[:maxOptions]
	}
	return &commandSpec{path: c.Path(), summary: c.Summary, params: params}
}

// addUndeclaredFlags adds options and switches that a definition accepts
// but its usage string does not show.
func addUndeclaredFlags(params []param, flags []string, kind optionKind) []param {
	for _, f := range flags {
		if slices.ContainsFunc(params, func(p param) bool { return p.flag == f }) {
			continue
		}
		desc := humanName(f)
		if kind == kindBoolean {
			desc = "Set --" + f
		}
		params = append(params, param{name: f, flag: f, kind: kind, desc: desc})
	}
	return params
}

// lookup finds the command an interaction names, and the options given to it.
func (cat *catalog) lookup(data discordgo.ApplicationCommandInteractionData) (*commandSpec, []*discordgo.ApplicationCommandInteractionDataOption, error) {
	top, ok := cat.tops[data.Name]
	if !ok {
		return nil, nil, fmt.Errorf("unknown command /%s", data.Name)
	}
	if top.bare != nil {
		return top.bare, data.Options, nil
	}
	if len(data.Options) == 0 || data.Options[0] == nil || data.Options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
		return nil, nil, fmt.Errorf("/%s needs a subcommand", data.Name)
	}
	sub, ok := top.subs[data.Options[0].Name]
	if !ok {
		return nil, nil, fmt.Errorf("unknown subcommand /%s %s", data.Name, data.Options[0].Name)
	}
	return sub, data.Options[0].Options, nil
}

// applicationCommands are the Discord registrations of the catalog.
func (cat *catalog) applicationCommands() []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, name := range cat.order {
		top := cat.tops[name]
		cmd := &discordgo.ApplicationCommand{Type: discordgo.ChatApplicationCommand, Name: top.name, Description: top.desc}
		if top.bare != nil {
			cmd.Options = top.bare.options()
		}
		for _, sub := range top.subOrder {
			spec := top.subs[sub]
			cmd.Options = append(cmd.Options, &discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: sub,
				Description: description(spec.summary, "/"+spec.path), Options: spec.options(),
			})
		}
		out = append(out, fitSize(cmd))
	}
	return out
}

// fitSize shortens option descriptions until the command is within
// Discord's limit on its total size.
func fitSize(cmd *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	for _, limit := range []int{60, 30, 10} {
		if commandSize(cmd.Name, cmd.Description, cmd.Options) <= maxCommandSize {
			break
		}
		clipDescriptions(cmd.Options, limit)
	}
	return cmd
}

func commandSize(name, desc string, opts []*discordgo.ApplicationCommandOption) int {
	n := utf8.RuneCountInString(name) + utf8.RuneCountInString(desc)
	for _, o := range opts {
		n += commandSize(o.Name, o.Description, o.Options)
		for _, c := range o.Choices {
			n += utf8.RuneCountInString(c.Name) + utf8.RuneCountInString(fmt.Sprint(c.Value))
		}
	}
	return n
}

func clipDescriptions(opts []*discordgo.ApplicationCommandOption, limit int) {
	for _, o := range opts {
		o.Description = clip(o.Description, limit)
		clipDescriptions(o.Options, limit)
	}
}

// options are the spec's parameters as Discord options, required first as
// Discord demands.
func (s *commandSpec) options() []*discordgo.ApplicationCommandOption {
	out := make([]*discordgo.ApplicationCommandOption, 0, len(s.params))
	for _, p := range s.params {
		out = append(out, p.option())
	}
	slices.SortStableFunc(out, func(a, b *discordgo.ApplicationCommandOption) int {
		return cmp.Compare(boolRank(a.Required), boolRank(b.Required))
	})
	return out
}

func boolRank(required bool) int {
	if required {
		return 0
	}
	return 1
}

func (p param) option() *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Name: p.name, Description: description(p.desc, p.name), Required: p.required}
	switch p.kind {
	case kindInteger:
		o.Type = discordgo.ApplicationCommandOptionInteger
		minID := 1.0
		o.MinValue = &minID
	case kindBoolean:
		o.Type = discordgo.ApplicationCommandOptionBoolean
	case kindUser:
		o.Type = discordgo.ApplicationCommandOptionUser
	default:
		o.Type = discordgo.ApplicationCommandOptionString
	}
	for _, c := range p.choices[:min(len(p.choices), maxChoices)] {
		v := clip(c, maxChoiceLen)
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
	}
	return o
}

// discordName makes a valid Discord command or option name: lowercase
// [-_a-z0-9], 1–32 characters.
func discordName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "x"
	}
	return name[:min(len(name), maxNameLen)]
}

// uniqueName appends a number to name while taken holds it.
func uniqueName[V any](name string, taken map[string]V) string {
	candidate := name
	for i := 2; ; i++ {
		if _, dup := taken[candidate]; !dup {
			return candidate
		}
		suffix := fmt.Sprint(i)
		candidate = name[:min(len(name), maxNameLen-len(suffix))] + suffix
	}
}

// description returns text (or fallback when text is empty) clipped to
// Discord's 100 characters.
func description(text, fallback string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		text = strings.TrimSpace(fallback)
	}
	if text == "" {
		text = "Interlock"
	}
	return clip(text, maxDescLen)
}

// clip shortens s to at most n characters, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
