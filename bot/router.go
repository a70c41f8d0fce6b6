package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

// Handler handles one command. It replies through the Context and returns an
// error; the router alone decides how an error is shown and logged.
type Handler func(ctx context.Context, c *Context) error

// Middleware wraps a handler (permissions, de-duplication, timing).
type Middleware func(Handler) Handler

// Command is the definition of one command: help, usage errors and platform
// registrations (Discord application commands) are generated from these.
type Command struct {
	Group    string // "crisis"
	Name     string // "open"; "" is the group's bare command ("/decision <text…>")
	Args     string // usage of the arguments: "<sev1|sev2|sev3|sev4> <title…> [--brand B]"
	Summary  string
	Examples []string
	Options  []string // --name value
	Switches []string // --name
	MinWords int      // words required after the command name
	// Permission names an entry of the configuration's permissions; empty
	// means anyone in the workspace may run it.
	Permission string
	// Checks names the permissions the handler checks itself with
	// Access.Check (those that depend on facts, like room membership), so
	// that the configuration may name them too.
	Checks  []string
	Handler Handler
}

// Path is the command's name as typed without the slash: "crisis open".
func (c *Command) Path() string {
	if c.Name == "" {
		return c.Group
	}
	return c.Group + " " + c.Name
}

// Usage is the one-line usage shown with errors and in help.
func (c *Command) Usage() string {
	u := "/" + c.Path()
	if c.Args != "" {
		u += " " + c.Args
	}
	return u
}

// Context is a request being handled by a command.
type Context struct {
	Request
	Command *Command
	Args    Args
	resp    Responder
	ctx     context.Context
}

// NewContext builds the Context a handler receives, for middleware tests
// and for code that runs a handler outside the router.
func NewContext(ctx context.Context, req Request, cmd *Command, args Args, resp Responder) *Context {
	return &Context{Request: req, Command: cmd, Args: args, resp: resp, ctx: ctx}
}

// Reply posts a reply that the channel sees.
func (c *Context) Reply(m Message) error {
	return c.resp.Respond(c.context(), Reply{Message: m})
}

// Private posts a reply only the sender sees.
func (c *Context) Private(m Message) error {
	return c.resp.Respond(c.context(), Reply{Message: m, Private: true})
}

// ReplaceClicked puts m in place of the message whose button was clicked
// (its buttons go), so that a request for an answer shows who answered and
// how. A typed command has no such message, and nothing happens.
func (c *Context) ReplaceClicked(m Message) error {
	if !c.Clicked {
		return nil
	}
	return c.resp.Respond(c.context(), Reply{Message: m, Replace: true})
}

func (c *Context) context() context.Context {
	if c.ctx == nil {
		return context.Background()
	}
	return c.ctx
}

// Replyf replies with formatted text the channel sees.
func (c *Context) Replyf(format string, args ...any) error {
	return c.Reply(Message{Text: fmt.Sprintf(format, args...)})
}

// Privatef replies with formatted text only the sender sees.
func (c *Context) Privatef(format string, args ...any) error {
	return c.Private(Message{Text: fmt.Sprintf(format, args...)})
}

// Authorizer decides whether a person may run a permissioned command.
type Authorizer interface {
	// Authorize returns nil, or an EForbidden error that says who may.
	Authorize(ctx context.Context, permission, user string) error
}

// Claimer claims idempotency keys; the first claim of a key wins.
type Claimer interface {
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// Release forgets a claim so that a later retry can run (used when the
	// work behind a claim failed).
	Release(ctx context.Context, key string) error
}

// Router maps command text to command definitions and runs them through the
// middleware chain.
type Router struct {
	log      *slog.Logger
	auth     Authorizer
	dedup    Claimer
	groups   map[string]*group
	order    []string
	mw       []Middleware
	dedupTTL time.Duration
}

type group struct {
	name    string
	summary string
	bare    *Command
	subs    map[string]*Command
	order   []string
}

// NewRouter returns an empty router. auth may be nil (nothing is
// permissioned) and dedup may be nil (no de-duplication).
func NewRouter(log *slog.Logger, auth Authorizer, dedup Claimer) *Router {
	r := &Router{log: log, auth: auth, dedup: dedup, groups: map[string]*group{}, dedupTTL: 24 * time.Hour}
	r.Register(Command{
		Group: "interlock", Name: "help", Args: "[command]",
		Summary:  "List the commands, or explain one",
		Examples: []string{"/interlock help", "/interlock help crisis"},
		Handler:  r.help,
	})
	r.Describe("interlock", "This help: /interlock help [command]")
	return r
}

// Describe sets a group's one-line summary shown by help.
func (r *Router) Describe(groupName, summary string) {
	r.groupFor(groupName).summary = summary
}

// Register adds command definitions. Registering a path twice panics: it is
// a programming error found by the first test.
func (r *Router) Register(cmds ...Command) {
	for i := range cmds {
		c := cmds[i]
		if c.Handler == nil {
			panic("bot: command " + c.Path() + " has no handler")
		}
		g := r.groupFor(c.Group)
		if c.Name == "" {
			if g.bare != nil {
				panic("bot: duplicate command " + c.Path())
			}
			g.bare = &c
			continue
		}
		if _, dup := g.subs[c.Name]; dup {
			panic("bot: duplicate command " + c.Path())
		}
		g.subs[c.Name] = &c
		g.order = append(g.order, c.Name)
	}
}

func (r *Router) groupFor(name string) *group {
	g, ok := r.groups[name]
	if !ok {
		g = &group{name: name, subs: map[string]*Command{}}
		r.groups[name] = g
		r.order = append(r.order, name)
	}
	return g
}

// Use appends middleware; the first added runs outermost.
func (r *Router) Use(mw ...Middleware) { r.mw = append(r.mw, mw...) }

// Commands lists every definition, groups in registration order.
func (r *Router) Commands() []*Command {
	var out []*Command
	for _, name := range r.order {
		g := r.groups[name]
		if g.bare != nil {
			out = append(out, g.bare)
		}
		for _, s := range g.order {
			out = append(out, g.subs[s])
		}
	}
	return out
}

// Permissions lists, sorted, every permission name the commands use: the
// names a configuration's permissions may set.
func (r *Router) Permissions() []string {
	seen := map[string]bool{}
	for _, c := range r.Commands() {
		for _, p := range append([]string{c.Permission}, c.Checks...) {
			if p != "" {
				seen[p] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Resolve finds the command that text names and parses its arguments.
// The text is normalised first (see NormalizeText).
func (r *Router) Resolve(text string) (*Command, Args, error) {
	text = NormalizeText(text)
	tokens := tokenize(text)
	if len(tokens) == 0 {
		return nil, Args{}, Errorf(EInvalid, "empty command; try /interlock help")
	}
	name := strings.ToLower(strings.TrimPrefix(tokens[0].value, "/"))
	tokens = tokens[1:]
	// "/interlock crisis open …" works too, for workspaces that install a
	// single slash command.
	if name == "interlock" && len(tokens) > 0 {
		if sub := strings.ToLower(tokens[0].value); sub != "interlock" && r.groups[sub] != nil {
			name, tokens = sub, tokens[1:]
		}
	}
	g, ok := r.groups[name]
	if !ok {
		return nil, Args{}, Errorf(EInvalid, "unknown command /%s; try /interlock help", name)
	}
	cmd := g.bare
	if len(tokens) > 0 {
		if sub, ok := g.subs[strings.ToLower(tokens[0].value)]; ok {
			cmd, tokens = sub, tokens[1:]
		}
	}
	if cmd == nil {
		if len(tokens) == 0 {
			return nil, Args{}, Errorf(EInvalid, "/%s needs a subcommand: %s", name, strings.Join(g.order, ", "))
		}
		return nil, Args{}, Errorf(EInvalid, "unknown subcommand %q for /%s; it has: %s", tokens[0].value, name, strings.Join(g.order, ", "))
	}
	args, err := parseArgs(text, tokens, cmd.Options, cmd.Switches)
	if err != nil {
		return cmd, args, err
	}
	if len(args.Words) < cmd.MinWords {
		return cmd, args, Errorf(EInvalid, "missing arguments")
	}
	return cmd, args, nil
}

// Handle runs one request. Errors are answered to the sender here; the error
// returned is only for the adapter's own bookkeeping (logged already).
func (r *Router) Handle(ctx context.Context, req Request, resp Responder) error {
	start := time.Now()
	log := r.log.With("request", req.ID, "user", req.User, "channel", req.Channel, "platform", req.Platform)
	if r.dedup != nil && req.ID != "" {
		first, err := r.dedup.Claim(ctx, "request:"+req.ID, r.dedupTTL)
		switch {
		case err != nil:
			// Without coordination a retry might run twice; doing the work is
			// better than dropping it.
			log.Warn("de-duplication unavailable", "err", err)
		case !first:
			log.Info("duplicate delivery ignored")
			return nil
		}
	}
	// Handlers see the same normalised text the arguments were read from.
	req.Text = NormalizeText(req.Text)
	cmd, args, err := r.Resolve(req.Text)
	if err == nil {
		err = r.chain(cmd)(ctx, NewContext(ctx, req, cmd, args, resp))
	}
	if code := codeOf(err); (code == EUnavailable || code == EInternal) && r.dedup != nil && req.ID != "" {
		// Nothing (or not all) was done: let the platform's retry run it.
		if rerr := r.dedup.Release(ctx, "request:"+req.ID); rerr != nil {
			log.Warn("cannot release the request's de-duplication key", "err", rerr)
		}
	}
	path := "?"
	if cmd != nil {
		path = cmd.Path()
	}
	if err != nil {
		r.answerError(ctx, log, req.ID, cmd, err, resp)
	}
	log.Debug("command handled", "command", path, "duration", time.Since(start), "code", codeOf(err))
	return err
}

func codeOf(err error) Code {
	if err == nil {
		return ""
	}
	return ErrorCode(err)
}

func (r *Router) chain(cmd *Command) Handler {
	h := r.authorize(cmd.Handler)
	for i := len(r.mw) - 1; i >= 0; i-- {
		h = r.mw[i](h)
	}
	return recoverPanics(h)
}

func (r *Router) authorize(next Handler) Handler {
	return func(ctx context.Context, c *Context) error {
		if c.Command.Permission != "" && r.auth != nil {
			if err := r.auth.Authorize(ctx, c.Command.Permission, c.User); err != nil {
				return err
			}
		}
		return next(ctx, c)
	}
}

func recoverPanics(next Handler) Handler {
	return func(ctx context.Context, c *Context) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic in /%s: %v\n%s", c.Command.Path(), p, debug.Stack())
			}
		}()
		return next(ctx, c)
	}
}

func (r *Router) answerError(ctx context.Context, log *slog.Logger, reqID string, cmd *Command, err error, resp Responder) {
	code := ErrorCode(err)
	text := ErrorMessage(err)
	switch code {
	case EInvalid:
		if cmd != nil {
			text += "\nUsage: " + cmd.Usage()
		}
	case EInternal:
		log.Error("command failed", "err", err)
		text = "Something went wrong; it has been logged"
		if reqID != "" {
			text += " (ref " + reqID + ")"
		}
	case EUnavailable:
		log.Warn("dependency unavailable", "err", err)
	}
	if rerr := resp.Respond(ctx, Reply{Message: Message{Text: "⚠ " + text}, Private: true}); rerr != nil {
		log.Error("cannot deliver error reply", "err", rerr)
	}
}

func (r *Router) help(_ context.Context, c *Context) error {
	if topic := strings.ToLower(strings.TrimPrefix(c.Args.Word(0), "/")); topic != "" {
		return c.Private(Message{Text: r.helpFor(topic)})
	}
	var b strings.Builder
	b.WriteString("Interlock commands (`/interlock help <command>` for details):\n")
	names := append([]string(nil), r.order...)
	for _, name := range names {
		g := r.groups[name]
		fmt.Fprintf(&b, "  /%-10s %s\n", name, g.describe())
	}
	return c.Private(Message{Text: strings.TrimRight(b.String(), "\n")})
}

func (g *group) describe() string {
	if g.summary != "" {
		return g.summary
	}
	if g.bare != nil {
		return g.bare.Summary
	}
	subs := append([]string(nil), g.order...)
	sort.Strings(subs)
	return strings.Join(subs, " · ")
}

func (r *Router) helpFor(topic string) string {
	name, sub, _ := strings.Cut(topic, " ")
	g, ok := r.groups[name]
	if !ok {
		return fmt.Sprintf("No command /%s. Try /interlock help.", name)
	}
	var cmds []*Command
	if c, ok := g.subs[sub]; ok {
		cmds = []*Command{c}
	} else {
		if g.bare != nil {
			cmds = append(cmds, g.bare)
		}
		for _, s := range g.order {
			cmds = append(cmds, g.subs[s])
		}
	}
	var b strings.Builder
	if g.summary != "" && len(cmds) > 1 {
		b.WriteString(g.summary + "\n")
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "%s\n    %s\n", c.Usage(), c.Summary)
		for _, ex := range c.Examples {
			fmt.Fprintf(&b, "    e.g. %s\n", ex)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
