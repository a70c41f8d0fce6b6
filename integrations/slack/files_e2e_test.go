package slack

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/digest"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
)

// execChannel is #exec-digest, where the example configuration posts the
// exec digest.
const execChannel = "C0EXEC"

// newSlackCharts is the real /kpi and /digest features on the commandstest
// harness, with the Slack adapter as their chat, and 90 days of engagement
// data for acme.
func newSlackCharts(t *testing.T) *slackCrisis {
	t.Helper()
	listed := func(c slacktest.Customize) {
		c.Handle("/conversations.list", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"ok":true,"channels":[{"id":"C0SOCIAL","name":"social"},{"id":%q,"name":"exec-digest"}],"response_metadata":{"next_cursor":""}}`, execChannel)
		})
	}
	s := &slackCrisis{t: t, f: newFakeSlack(t, listed), hooks: newHookServer(t)}
	s.f.mu.Lock()
	for handle, id := range crew {
		s.f.users[handle+"@example.com"] = id
		s.f.emails[id] = handle + "@example.com"
	}
	s.f.mu.Unlock()
	cfg, err := config.Load(config.Env{})
	if err != nil {
		t.Fatal(err)
	}
	s.h = commandstest.New(t, []commandstest.Register{kpi.Register, digest.RegisterDefault},
		commandstest.WithChat(func(r *bot.Router) bot.Chat {
			s.a, s.clock, _ = testAdapter(t, s.f, r, func(o *Options) { o.Directory = cfg })
			return s.a
		}))
	var csv strings.Builder
	csv.WriteString(kpi.CSVHeader + "\n")
	today := s.h.Clock.Now().In(s.h.Deps.Config.Org.Location)
	for age := range 90 {
		day := today.AddDate(0, 0, -age).Format(time.DateOnly)
		fmt.Fprintf(&csv, "%s,%s,acme,instagram,engagement-rate,,%d,10000\n", day, day, 300+age%50)
	}
	if _, err := kpi.ImportCSV(t.Context(), kpi.New(s.h.Deps), cfg, s.h.Clock.Now(), strings.NewReader(csv.String())); err != nil {
		t.Fatal(err)
	}
	return s
}

// slash posts a signed slash command typed by person in channel and waits
// until the adapter has finished the work it started.
func (s *slackCrisis) slash(person, channel, command, text string) {
	s.t.Helper()
	body := commandForm(command, text, crew[person], channel, "500.1."+person, s.hooks.srv.URL)
	if w := serve(s.a, signed("/slack/commands", body, s.clock.now)); w.Code != http.StatusOK {
		s.t.Fatalf("%s %s answered %d", command, text, w.Code)
	}
	idle(s.a)
}

// TestSlackKPIChartGoesToDirectMessages: /kpi --chart typed in a channel
// answers privately there, and its PNG chart arrives in the person's direct
// messages, as the answer says.
func TestSlackKPIChartGoesToDirectMessages(t *testing.T) {
	s := newSlackCharts(t)
	s.slash("alex", "C0SOCIAL", "/kpi", "engagement-rate --chart")

	shared := s.f.sharedFiles()
	if len(shared) != 1 || shared[0].channel != "D"+crew["alex"] || shared[0].name != "kpi-engagement-rate.png" {
		t.Fatalf("shared %+v, want kpi-engagement-rate.png in alex's DM", shared)
	}
	if _, err := png.Decode(bytes.NewReader(shared[0].data)); err != nil {
		t.Fatalf("the chart that arrived is not a PNG: %v", err)
	}
	got := s.hooks.received()
	if len(got) != 1 || got[0]["response_type"] != "ephemeral" ||
		!strings.Contains(fmt.Sprint(got[0]["blocks"]), "Chart sent to you in a direct message") {
		t.Fatalf("response_url got %v, want one ephemeral answer saying where the chart went", got)
	}
	if n := len(s.f.callsTo("chat.postMessage")); n != 0 {
		t.Errorf("a private answer posted %d public messages", n)
	}
}

// TestSlackDigestSendPostsChartsInItsChannel: /digest send exec posts the
// digest to #exec-digest, then its charts into the same channel.
func TestSlackDigestSendPostsChartsInItsChannel(t *testing.T) {
	s := newSlackCharts(t)
	s.slash("alex", "C0SOCIAL", "/digest", "send exec")

	posts := s.f.callsTo("chat.postMessage")
	if len(posts) != 1 || posts[0].form.Get("channel") != execChannel {
		t.Fatalf("posts %+v, want the digest once in %s", posts, execChannel)
	}
	var names []string
	for _, f := range s.f.sharedFiles() {
		if f.channel != execChannel {
			t.Errorf("%s shared in %s, want %s", f.name, f.channel, execChannel)
		}
		if _, err := png.Decode(bytes.NewReader(f.data)); err != nil {
			t.Errorf("%s is not a PNG: %v", f.name, err)
		}
		names = append(names, f.name+" ("+f.title+")")
	}
	if want := "[kpi-engagement-rate.png (Engagement rate) crises.png (Crises opened per period)]"; fmt.Sprint(names) != want {
		t.Errorf("shared %v, want %s", names, want)
	}
	if post, done := s.f.callOrder("chat.postMessage"), s.f.callOrder("files.completeUploadExternal"); done < post {
		t.Errorf("a chart was shared (call %d) before the digest was posted (call %d)", done, post)
	}
	if got := s.hooks.received(); len(got) != 1 || !strings.Contains(fmt.Sprint(got[0]["text"]), "Posted the exec digest to #exec-digest") {
		t.Errorf("response_url got %v, want the confirmation", got)
	}
}
