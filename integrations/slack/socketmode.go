package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/slack-go/slack/socketmode"
)

// RunSocketMode connects to Slack with the app-level token and serves
// slash commands, button clicks and events over Socket Mode until ctx ends
// (then it returns nil) or the connection fails for good. Every envelope is
// acknowledged before its command runs in the background.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	return a.RunSocketModeReporting(ctx, func(error) {})
}

// errSocketConnecting is the state while Socket Mode (re)connects.
var errSocketConnecting = errors.New("slack socket mode connecting")

// RunSocketModeReporting is RunSocketMode telling report the connection's
// state as it changes: nil once connected, else why not.
func (a *Adapter) RunSocketModeReporting(ctx context.Context, report func(error)) error {
	if a.appToken == "" {
		return errors.New("slack: Socket Mode needs an app-level token (SLACK_APP_TOKEN)")
	}
	if a.dispatcher == nil {
		return errors.New("slack: Socket Mode needs a dispatcher")
	}
	client := socketmode.New(a.api, socketmode.OptionLog(slogOutput{a.log}))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-client.Events:
			reportSocketState(evt, report)
			a.socketEvent(ctx, client, evt)
		}
	}
}

// reportSocketState tells report what a connection event means for the
// connection's health.
func reportSocketState(evt socketmode.Event, report func(error)) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		report(nil)
	case socketmode.EventTypeConnecting:
		report(errSocketConnecting)
	case socketmode.EventTypeInvalidAuth:
		report(errors.New("slack socket mode: invalid app-level token"))
	case socketmode.EventTypeConnectionError:
		report(fmt.Errorf("slack socket mode: %v", evt.Data))
	}
}

// socketEvent handles one event of the Socket Mode client.
func (a *Adapter) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.log.Info("connected to Slack (Socket Mode)")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("Slack Socket Mode trouble", "event", evt.Type, "detail", fmt.Sprint(evt.Data))
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		if evt.Request != nil {
			a.socketRequest(ctx, client, *evt.Request)
		}
	case socketmode.EventTypeErrorBadMessage:
		// slack-go could not parse the payload (a new event shape, say);
		// our own parsers only need a few fields, so try them.
		if bad, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var req socketmode.Request
			if json.Unmarshal(bad.Message, &req) == nil && req.EnvelopeID != "" {
				a.socketRequest(ctx, client, req)
			}
		}
	}
}

// socketRequest acknowledges one envelope and runs its commands. While
// shutting down it does not acknowledge, so that Slack delivers it again.
// The acknowledgement follows ctx: once the connection is being closed
// nobody sends queued acknowledgements, and waiting for room in the queue
// would hang RunSocketMode; such an envelope is left for Slack to deliver
// again.
func (a *Adapter) socketRequest(ctx context.Context, client *socketmode.Client, req socketmode.Request) {
	if a.closing() {
		return
	}
	if err := client.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		if ctx.Err() != nil {
			a.log.Info("connection closing: left a Socket Mode envelope unacknowledged", "envelope", req.EnvelopeID)
			return
		}
		a.log.Warn("cannot acknowledge a Socket Mode envelope", "envelope", req.EnvelopeID, "err", err)
	}
	ins, forms, err := socketInbound(req.Type, req.Payload)
	a.openForms(forms)
	if err != nil {
		a.log.Warn("ignored a malformed Socket Mode payload", "envelope", req.EnvelopeID, "type", req.Type, "err", err)
		return
	}
	for _, in := range ins {
		if !a.dispatch(in) {
			a.log.Warn("shutting down: dropped an acknowledged Socket Mode request", "request", in.id)
		}
	}
}

// socketInbound reads the commands of a Socket Mode envelope's payload,
// and the forms its button clicks ask to open.
func socketInbound(typ string, payload json.RawMessage) ([]inbound, []form, error) {
	switch typ {
	case socketmode.RequestTypeSlashCommands:
		cmd, err := parseCommandJSON(payload)
		if err != nil {
			return nil, nil, err
		}
		in, err := cmd.inbound()
		if err != nil {
			return nil, nil, err
		}
		return []inbound{in}, nil, nil
	case socketmode.RequestTypeInteractive:
		i, err := parseInteraction(payload)
		if err != nil {
			return nil, nil, err
		}
		return i.inbounds(), i.forms(), nil
	case socketmode.RequestTypeEventsAPI:
		env, err := parseEvent(payload)
		if err != nil {
			return nil, nil, err
		}
		if in, ok := env.inbound(); ok {
			return []inbound{in}, nil, nil
		}
	}
	return nil, nil, nil
}

// closing reports whether Shutdown has begun.
func (a *Adapter) closing() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.closed
}

// slogOutput routes slack-go's debug log lines to slog.
type slogOutput struct{ log *slog.Logger }

func (o slogOutput) Output(_ int, s string) error {
	o.log.Debug(strings.TrimSpace(s), "component", "slack-socketmode")
	return nil
}
