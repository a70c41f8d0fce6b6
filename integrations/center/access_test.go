package center_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	feature "github.com/interlock-coe/interlock/commands/center"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/integrations/center"
)

func TestPageIsOffWithoutItsVariables(t *testing.T) {
	for name, s := range map[string]feature.Settings{
		"nothing":      {},
		"short secret": {SessionSecret: "short", WallToken: testWall, PublicURL: "http://x"},
		"no url":       {SessionSecret: testSecret, WallToken: testWall},
	} {
		t.Run(name, func(t *testing.T) {
			st := newSite(t, s)
			for _, path := range []string{"/", "/crises/1", "/events", "/signin/abc", "/?wall=1&token=" + testWall} {
				resp, body := get(t, client(), st.Server.URL+path, nil)
				wantStatus(t, path, resp, body, http.StatusServiceUnavailable, "command center is off")
			}
			res := st.Say("/interlock center")
			if !strings.Contains(res.Text(), "command center is off") {
				t.Errorf("/interlock center: %s", res.Text())
			}
		})
	}
}

func TestNothingWithoutSigningIn(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, store commandstest.Option) {
		st := newSite(t, settings("auto"), store)
		st.Say("@jo /crisis open sev3 Checkout down")
		forged := &http.Cookie{Name: center.CookieName, Value: feature.Keys{Secret: []byte("another secret entirely, 32+ chars"), Clock: st.Clock}.
			NewSession(feature.Session{Person: "alex", Expires: st.Clock.Now().Add(time.Hour)})}
		for _, c := range []*http.Cookie{nil, {Name: center.CookieName, Value: "garbage"}, forged} {
			for _, path := range []string{"/", "/crises/1", "/events", "/?wall=1", "/?wall=1&token=wrong"} {
				resp, body := get(t, client(), st.Server.URL+path, c)
				wantStatus(t, path, resp, body, http.StatusUnauthorized, "/interlock center")
				if strings.Contains(body, "Checkout down") {
					t.Errorf("%s shows the crisis to nobody", path)
				}
			}
		}
	})
}

func TestSignInLinkWorksOnceFor10Minutes(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, store commandstest.Option) {
		st := newSite(t, settings("auto"), store)
		link := st.link(t, "jo")
		if !strings.HasPrefix(link, st.Server.URL+"/signin/") {
			t.Fatalf("link %q is not on INTERLOCK_PUBLIC_URL", link)
		}
		resp, body := get(t, client(), link, nil)
		wantStatus(t, "first use", resp, body, http.StatusSeeOther)
		var ck *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == center.CookieName {
				ck = c
			}
		}
		if ck == nil {
			t.Fatal("no session cookie")
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
			t.Errorf("cookie HttpOnly %v SameSite %v Secure %v; want HttpOnly, Lax, not Secure on http", ck.HttpOnly, ck.SameSite, ck.Secure)
		}
		if ck.MaxAge != int(feature.SessionTTL.Seconds()) {
			t.Errorf("session lasts %ds, want 12h", ck.MaxAge)
		}
		resp, body = get(t, client(), st.Server.URL+"/", ck)
		wantStatus(t, "signed in", resp, body, http.StatusOK, "Signed in as @jo")

		resp, body = get(t, client(), link, nil)
		wantStatus(t, "reused link", resp, body, http.StatusForbidden, "already used")

		late := st.link(t, "jo")
		st.Clock.Set(st.Clock.Now().Add(feature.LinkTTL + time.Second))
		resp, body = get(t, client(), late, nil)
		wantStatus(t, "expired link", resp, body, http.StatusForbidden, "expired")

		st.Clock.Set(st.Clock.Now().Add(feature.SessionTTL))
		resp, body = get(t, client(), st.Server.URL+"/", ck)
		wantStatus(t, "expired session", resp, body, http.StatusUnauthorized)
	})
}

func TestCookieIsSecureBehindTLS(t *testing.T) {
	st := newSite(t, settings("https://center.example.org"))
	link := st.link(t, "jo")
	if !strings.HasPrefix(link, "https://center.example.org/signin/") {
		t.Fatalf("link %q", link)
	}
	token := strings.TrimPrefix(link, "https://center.example.org")
	resp, _ := get(t, client(), st.Server.URL+token, nil)
	if cs := resp.Cookies(); len(cs) != 1 || !cs[0].Secure {
		t.Errorf("cookies %v: want one Secure cookie", cs)
	}
}

func TestCrisisPageOnlyForMembersAndLeads(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, store commandstest.Option) {
		st := newSite(t, settings("auto"), store)
		st.Say("@jo /crisis open sev4 Influencer thread about sizing").Contains(t, "#1")
		cases := []struct {
			person string
			status int
		}{
			{"jo", http.StatusOK},         // opened it: a member
			{"alex", http.StatusOK},       // holds social-lead
			{"zed", http.StatusForbidden}, // neither
		}
		for _, c := range cases {
			resp, body := get(t, client(), st.Server.URL+"/crises/1", st.signIn(t, c.person))
			if c.status == http.StatusOK {
				wantStatus(t, c.person, resp, body, c.status, "Influencer thread about sizing", "Timeline", "Members")
			} else {
				wantStatus(t, c.person, resp, body, c.status)
				if strings.Contains(body, "Timeline") {
					t.Errorf("%s sees the timeline", c.person)
				}
			}
		}
		resp, body := get(t, client(), st.Server.URL+"/crises/99", st.signIn(t, "alex"))
		wantStatus(t, "missing crisis", resp, body, http.StatusNotFound)
	})
}

func TestWallScreenIsReadOnlyTitleAndSeverity(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, store commandstest.Option) {
		st := newSite(t, settings("auto"), store)
		st.Say("@jo /crisis open sev2 Checkout down")
		st.Say("@jo #" + roomOf(t, st) + " /crisis propose We are aware and fixing it")
		resp, body := get(t, client(), st.Server.URL+"/?wall=1&token="+testWall, nil)
		wantStatus(t, "wall", resp, body, http.StatusOK, `class="wall"`, "Checkout down", "sev2")
		for _, hidden := range []string{"We are aware", "/crises/1", "room ", "<form", "Signed in"} {
			if strings.Contains(body, hidden) {
				t.Errorf("the wall shows %q", hidden)
			}
		}
		var wall *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == center.CookieName {
				wall = c
			}
		}
		if wall == nil {
			t.Fatal("the wall token set no cookie")
		}
		resp, body = get(t, client(), st.Server.URL+"/crises/1", wall)
		wantStatus(t, "wall on a crisis page", resp, body, http.StatusForbidden)
		resp, body = get(t, client(), st.Server.URL+"/", wall)
		wantStatus(t, "wall by cookie", resp, body, http.StatusOK, `class="wall"`)

		// A signed-in member sees the proposal and who it awaits.
		resp, body = get(t, client(), st.Server.URL+"/", st.signIn(t, "jo"))
		wantStatus(t, "member", resp, body, http.StatusOK, "We are aware", "from @jo", "awaits comms, legal", `href="/crises/1"`)
		// A confidential room's title stays hidden from the wall and from
		// people outside the room.
		st.Say("@jo #general /crisis open sev1 Settlement talks --confidential")
		for who, c := range map[string]*http.Cookie{"wall": wall, "zed": st.signIn(t, "zed")} {
			resp, body = get(t, client(), st.Server.URL+"/", c)
			wantStatus(t, who, resp, body, http.StatusOK, "(confidential)")
			if strings.Contains(body, "Settlement") {
				t.Errorf("%s sees a confidential title", who)
			}
		}
	})
}

// roomOf returns the channel of crisis #1's room, without the '#'.
func roomOf(t *testing.T, st *site) string {
	t.Helper()
	cr, err := st.Store.Crisis(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(cr.RoomName, "#")
}
