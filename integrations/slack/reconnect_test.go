package slack

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/interlock-coe/interlock/integrations/supervise"
)

// failingOpen makes the first n apps.connections.open calls fail with
// fail, then lets the inner customizer's handler answer.
type failingOpen struct {
	slacktest.Customize
	n    int32
	fail http.HandlerFunc
	seen atomic.Int32
}

func (f *failingOpen) Handle(pattern string, h http.HandlerFunc) {
	if pattern != "/apps.connections.open" {
		f.Customize.Handle(pattern, h)
		return
	}
	f.Customize.Handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		if f.seen.Add(1) <= f.n {
			f.fail(w, r)
			return
		}
		h(w, r)
	})
}

// TestSocketModeRecoversUnderSupervision: apps.connections.open fails at
// first (a refused token that ends slack-go's loop, or a 503 it retries
// itself); the platform is reported down meanwhile, then connects and
// serves an envelope, with nobody restarting it.
func TestSocketModeRecoversUnderSupervision(t *testing.T) {
	tests := map[string]http.HandlerFunc{
		"invalid_auth": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
		},
		"503": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) },
	}
	for name, fail := range tests {
		t.Run(name, func(t *testing.T) {
			slash := `{"envelope_id":"env-1","type":"slash_commands","accepts_response_payload":true,"payload":` +
				`{"token":"x","team_id":"T0TEAM","channel_id":"C0SOCIAL","user_id":"U0ALICE","command":"/kpi","text":"reach",` +
				`"response_url":"http://127.0.0.1:1/unused","trigger_id":"55.66.sock"}}`
			acks := make(chan string, 8)
			opens := &failingOpen{n: 3, fail: fail}
			f := newFakeSlack(t, func(c slacktest.Customize) {
				opens.Customize = c
				socketServer(t, []string{slash}, acks)(opens)
			})
			d := newRecorder()
			a, _, _ := testAdapter(t, f, d, func(o *Options) { o.AppToken = "xapp-test" })
			s := supervise.New("slack", supervise.Backoff{Initial: time.Millisecond, Max: 10 * time.Millisecond}, slog.New(slog.DiscardHandler))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				s.Run(ctx, func(ctx context.Context, report func(error)) error { return a.RunSocketModeReporting(ctx, report) })
			}()
			defer func() { cancel(); <-done; idle(a) }()

			for opens.seen.Load() < 2 {
				time.Sleep(time.Millisecond)
			}
			if err := s.Err(ctx); err == nil {
				t.Fatal("healthy while apps.connections.open fails")
			}
			select {
			case id := <-acks:
				if id != "env-1" {
					t.Fatalf("acknowledged %q", id)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("no envelope served after %d opens; state %v", opens.seen.Load(), s.Err(ctx))
			}
			<-d.done
			if err := s.Err(ctx); err != nil {
				t.Fatalf("connected, but the state is %v", err)
			}
		})
	}
}
