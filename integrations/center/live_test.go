package center_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot/chart"
)

// TestChangeReachesTheStream: a crisis opened in chat is announced on
// /events to a signed-in page.
func TestChangeReachesTheStream(t *testing.T) {
	st := newSite(t, settings("auto"))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, st.Server.URL+"/events", nil)
	req.AddCookie(st.signIn(t, "jo"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("status %d, type %q", resp.StatusCode, ct)
	}
	lines := bufio.NewScanner(resp.Body)
	lines.Scan() // "retry: …": the subscription is in place once the stream has begun
	st.Say("@jo /crisis open sev3 Checkout down")
	for lines.Scan() {
		if lines.Text() == "data: crisis" {
			return
		}
	}
	t.Fatalf("no crisis notice on the stream: %v", lines.Err())
}

// TestOverviewPanels: the alert's chart has one point per hour of the last
// 48, and a breached issue says so in words.
func TestOverviewPanels(t *testing.T) {
	st := newSite(t, settings("auto"))
	st.spike(t, "sizing")
	st.Say("@jo /route customer-care Refund never arrived").Contains(t, "#1")
	st.Say("@jo /route sales Quote for 40 seats").Contains(t, "#2")
	st.Advance(61 * time.Minute)
	st.Say("@jo /route sales Demo request")
	resp, body := get(t, client(), st.Server.URL+"/", st.signIn(t, "alex"))
	wantStatus(t, "overview", resp, body, http.StatusOK, "suggested sev3", "<svg", "BREACHED", "On duty:")
	i := strings.Index(body, `<figure class="chart"`)
	j := strings.Index(body[i:], "</svg>")
	counts, err := chart.SVGLines([]byte(body[strings.Index(body[i:], "<svg")+i : i+j+len("</svg>")]))
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) == 0 || counts[0] != 48 {
		t.Errorf("alert chart lines %v: want the mentions line to have 48 points", counts)
	}
	if !strings.Contains(body, `class="issue breached" data-issue="1"`) {
		t.Error("issue #1 is not marked breached")
	}
	if strings.Contains(body, `class="issue breached" data-issue="3"`) {
		t.Error("issue #3 is marked breached")
	}
}
