package center_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/alerts"
	feature "github.com/interlock-coe/interlock/commands/center"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/decision"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/route"
	"github.com/interlock-coe/interlock/integrations/center"
	"github.com/interlock-coe/interlock/store"
)

const (
	testSecret = "0123456789abcdef0123456789abcdef-secret"
	testWall   = "wall-0123456789abcdef0123456789abcdef"
)

// site is a running command center over a commandstest harness.
type site struct {
	*commandstest.Harness
	Center *feature.Center
	Alerts *alerts.Listener
	Server *httptest.Server
}

func settings(publicURL string) feature.Settings {
	return feature.Settings{SessionSecret: testSecret, WallToken: testWall, PublicURL: publicURL}
}

// newSite starts the page with s (the public URL is the test server's when
// s.PublicURL is "auto") on the store opt selects.
func newSite(t *testing.T, s feature.Settings, opts ...commandstest.Option) *site {
	t.Helper()
	st := &site{}
	features := []commandstest.Register{
		func(r *bot.Router, d commands.Deps) { r.Use(bot.PublishChanges(d.Coord.(bot.Events), d.Log)) },
		func(r *bot.Router, d commands.Deps) { crisis.Register(r, d, d.Store) },
		decision.Register,
		func(r *bot.Router, d commands.Deps) { route.Register(r, d, nil) },
		func(r *bot.Router, d commands.Deps) { st.Alerts = alerts.Register(r, d) },
		func(r *bot.Router, d commands.Deps) {
			st.Center = feature.Register(r, d, s)
			st.Center.Board.KPIs = kpi.New(d)
		},
	}
	st.Harness = commandstest.New(t, features, opts...)
	mux := http.NewServeMux()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st.Server = httptest.NewServer(mux)
	t.Cleanup(st.Server.Close)
	if s.PublicURL == "auto" {
		st.Center.Settings.PublicURL = st.Server.URL
	}
	center.New(st.Center, st.Deps.Coord.(bot.Events), log).WithActions(st.Router).Routes(mux)
	return st
}

var linkRE = regexp.MustCompile(`https?://\S+/signin/\S+`)

// link asks for a sign-in link in chat as person and returns it.
func (s *site) link(t *testing.T, person string) string {
	t.Helper()
	res := s.Say("@" + person + " /interlock center")
	if res.Err != nil || !res.Private() {
		t.Fatalf("/interlock center: err %v, private %v: %s", res.Err, res.Private(), res.Text())
	}
	u := linkRE.FindString(res.Text())
	if u == "" {
		t.Fatalf("no link in %q", res.Text())
	}
	return u
}

// client is a browser with no cookies that does not follow redirects.
func client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn opens a fresh link as person and returns the session cookie.
func (s *site) signIn(t *testing.T, person string) *http.Cookie {
	t.Helper()
	resp, _ := get(t, client(), s.link(t, person), nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in answered %d", resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == center.CookieName {
			return c
		}
	}
	t.Fatal("sign-in set no session cookie")
	return nil
}

func get(t *testing.T, c *http.Client, url string, cookie *http.Cookie) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func wantStatus(t *testing.T, what string, resp *http.Response, body string, status int, contains ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d; body:\n%.400s", what, resp.StatusCode, status, body)
	}
	for _, c := range contains {
		if !strings.Contains(body, c) {
			t.Errorf("%s: body lacks %q:\n%.600s", what, c, body)
		}
	}
}

// spike feeds 60 steady hours of mentions for acme's topic, then four
// hours at about 3.5 times the baseline: an active sev3 alert whose last
// 48 hours are all on the chart.
func (s *site) spike(t *testing.T, topic string) {
	t.Helper()
	counts := make([]int64, 0, 64)
	for i := 0; i < 60; i++ {
		counts = append(counts, 400+int64(i%5)*5)
	}
	counts = append(counts, 1300, 1400, 1450, 1500)
	for _, c := range counts {
		s.Advance(time.Hour)
		end := s.Clock.Now()
		_, err := s.Alerts.Ingest(context.Background(), []store.ListeningPoint{{
			Source: "brandwatch", Brand: "acme", Topic: topic, WindowStart: end.Add(-time.Hour), WindowEnd: end,
			Mentions: c, Negative: c / 5, Neutral: c / 2, Positive: c / 5, Reach: c * 50,
		}})
		if err != nil {
			t.Fatalf("ingest: %v", err)
		}
	}
}
