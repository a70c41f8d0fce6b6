package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/interlock-coe/interlock/config"
)

// inboxReceiver is a social inbox taking the answers Interlock sends back.
type inboxReceiver struct {
	mu      sync.Mutex
	replies []string
}

func (r *inboxReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var a struct {
		Reply string `json:"reply"`
	}
	body, _ := io.ReadAll(req.Body)
	if err := json.Unmarshal(body, &a); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.replies = append(r.replies, a.Reply)
	r.mu.Unlock()
}

// runShellWithInbox runs the shell on the example configuration whose
// answers go to url.
func runShellWithInbox(t *testing.T, url, input string) string {
	t.Helper()
	yaml := strings.Replace(string(config.Example()), `url: ""`, `url: "`+url+`"`, 1)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"INTERLOCK_DATA_DIR": t.TempDir(), "INTERLOCK_CONFIG": path}
	var out, errOut bytes.Buffer
	root := newRootCommand(strings.NewReader(input), &out, &errOut, func(k string) string { return env[k] })
	root.SetArgs([]string{"shell"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("shell: %v\nstderr:\n%s", err, errOut.String())
	}
	return out.String()
}

// TestShellTemplateScript is issue 17's templates "done when": a template
// is refused until legal approves it, then fills an answer whose text
// reaches the inbox; a missing placeholder is an error naming it.
func TestShellTemplateScript(t *testing.T) {
	inbox := &inboxReceiver{}
	srv := httptest.NewServer(inbox)
	t.Cleanup(srv.Close)
	out := runShellWithInbox(t, srv.URL, `/role assign customer-care @lee
/role assign comms @sam
/role assign legal @dana
@lee /template add late-parcel --dept customer-care Sorry {name}! Your order {order} ships today.
/route auto My order never arrived --brand acme
@lee /route answer 1 --template late-parcel name=Ann order=A-12
@sam /content approve 1
@lee /route answer 1 --template late-parcel name=Ann order=A-12
@dana /content approve 1
@lee /route answer 1 --template late-parcel name=Ann
@lee /route answer 1 --template late-parcel name=Ann order=A-12
/template show late-parcel
/kpi template-share --dept customer-care
`)
	for _, want := range []string{
		"Template late-parcel (customer-care) v1 sent for approval as content #1 (high); placeholders {name}, {order}",
		"template late-parcel has no approved version yet: v1 is in-review (content #1)",
		"Stage legal asks legal (@dana",
		"Content #1 is approved",
		"template late-parcel: missing {order}: add order=…",
		"@lee answered #1",
		"From template late-parcel v1:\n",
		"Sorry Ann! Your order A-12 ships today.",
		"v1 in use · 1 use",
		"Answers from approved templates · all brands · all channels · Customer Care",
		"): 100%",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	inbox.mu.Lock()
	defer inbox.mu.Unlock()
	if len(inbox.replies) != 1 || inbox.replies[0] != "Sorry Ann! Your order A-12 ships today." {
		t.Errorf("the inbox received %q, want the filled template once", inbox.replies)
	}
	if t.Failed() || os.Getenv("SHOW") != "" {
		t.Log(out)
	}
}
