package center_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/commands/commandstest"
)

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestAckNeedsTheSessionsCSRFToken: acknowledging an alert from the page
// works only with the CSRF token of the same session, and never from a
// wall screen.
func TestAckNeedsTheSessionsCSRFToken(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, store commandstest.Option) {
		st := newSite(t, settings("auto"), store)
		st.spike(t, "sizing")
		alex, zed := st.signIn(t, "alex"), st.signIn(t, "zed")
		_, page := get(t, client(), st.Server.URL+"/", alex)
		m := csrfRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no Acknowledge form:\n%.2000s", page)
		}
		_, zedPage := get(t, client(), st.Server.URL+"/", zed)
		zedToken := csrfRE.FindStringSubmatch(zedPage)[1]
		wall := &http.Cookie{Name: "x"}
		resp, _ := get(t, client(), st.Server.URL+"/?wall=1&token="+testWall, nil)
		for _, c := range resp.Cookies() {
			wall = c
		}
		post := func(c *http.Cookie, token string) int {
			req, _ := http.NewRequest(http.MethodPost, st.Server.URL+"/alerts/1/ack", strings.NewReader(url.Values{"csrf": {token}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(c)
			resp, err := client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		for name, got := range map[string]int{
			"no token":            post(alex, ""),
			"another's token":     post(alex, zedToken),
			"wall with its token": post(wall, zedToken),
		} {
			if got != http.StatusForbidden {
				t.Errorf("%s: status %d, want 403", name, got)
			}
		}
		if a, _ := st.Store.ListeningAlert(t.Context(), 1); a.AckedBy != "" {
			t.Fatalf("acknowledged by %q without a valid token", a.AckedBy)
		}
		if got := post(alex, m[1]); got != http.StatusSeeOther {
			t.Errorf("with the token: status %d, want 303", got)
		}
		if a, _ := st.Store.ListeningAlert(t.Context(), 1); a.AckedBy != "alex" {
			t.Errorf("acknowledged by %q, want alex", a.AckedBy)
		}
	})
}
