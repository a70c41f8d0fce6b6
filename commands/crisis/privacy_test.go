package crisis_test

import (
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/commands/commandstest"
)

// In the harness: alex holds social-lead, jordan exec; a sev2 room has
// alex, dana, lee, maria and sam; a sev3 room alex, priya and lee; noah
// holds no role at all.

func TestPrivateRoomDecisionsAreHiddenFromOutsiders(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := newHarness(t, st)
		h.Say("/crisis open sev2 Legal dispute")
		legal := "#crisis-20261123-legal-dispute"
		h.Say("@dana " + legal + " /crisis decide Secret legal settlement of 5M")
		h.Say("@dana " + legal + " /crisis decide Settlement papers go to outside counsel")
		h.Say("@noah /decision Public settlement FAQ stays as it is")

		for _, who := range []string{"noah", "priya"} { // no role; community but not in the room
			r := h.Say("@" + who + " /decisions settlement")
			r.Contains(t, "Public settlement FAQ", "2 entries from private crisis rooms are hidden.")
			if strings.Contains(r.Text(), "Secret") || strings.Contains(r.Text(), "outside counsel") {
				t.Errorf("@%s, outside the room, sees its decisions:\n%s", who, r.Text())
			}
		}
		for _, who := range []string{"dana", "lee", "alex", "jordan"} { // members, social-lead, exec
			r := h.Say("@" + who + " /decisions settlement")
			r.Contains(t, "Secret legal settlement of 5M", "outside counsel", "Public settlement FAQ")
			if strings.Contains(r.Text(), "hidden") {
				t.Errorf("@%s sees a note about hidden entries:\n%s", who, r.Text())
			}
		}
		h.Say("@noah /decisions Secret").Contains(t, "No decisions found. 1 entry from a private crisis room is hidden.")

		// The resolution's log entry carries the summary: hidden too.
		h.Say("@alex " + legal + " /crisis resolve Settled out of court for 5M")
		if text := h.Say("@noah /decisions").Text(); strings.Contains(text, "5M") || !strings.Contains(text, "3 entries") {
			t.Errorf("@noah /decisions after resolve:\n%s", text)
		}
		h.Say("@jordan /decisions").Contains(t, "resolved: Settled out of court for 5M")
	})
}

func TestCrisisListShowsOutsidersOnlyWhatIsPublic(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := newHarness(t, st)
		h.Say("/crisis open sev2 Legal dispute --brand acme")
		opened := h.Say("@priya /crisis open sev3 Settlement talks --brand acme --confidential")
		if strings.Contains(strings.ToLower(opened.Text()), "settlement") {
			t.Errorf("the public answer to a confidential opening names it:\n%s", opened.Text())
		}
		opened.Contains(t, "Crisis #2 opened (sev3): (confidential)", "#crisis-20261123-incident-2")

		outsider := h.Say("@noah /crisis list").Contains(t, "#1 sev2 Legal dispute (acme) — open", "#2 sev3 (confidential) (acme) — open")
		for _, secret := range []string{"Settlement", "#crisis-20261123-legal-dispute"} {
			if strings.Contains(outsider.Text(), secret) {
				t.Errorf("@noah's /crisis list shows %q:\n%s", secret, outsider.Text())
			}
		}
		h.Say("@priya /crisis list").Contains(t, "#2 sev3 Settlement talks (acme) — #crisis-20261123-incident-2", "#1 sev2 Legal dispute (acme) — open")
		for _, who := range []string{"alex", "jordan"} {
			h.Say("@"+who+" /crisis list").Contains(t, "#2 sev3 Settlement talks (acme)", "#1 sev2 Legal dispute (acme) — #crisis-20261123-legal-dispute")
		}
		if text := h.Say("@dana /crisis list").Text(); strings.Contains(text, "Settlement") || !strings.Contains(text, "#crisis-20261123-legal-dispute") {
			t.Errorf("@dana, in room #1 only, sees:\n%s", text)
		}
	})
}

func TestResolutionOutsideTheRoomKeepsTheSummaryIn(t *testing.T) {
	h := newHarness(t)
	h.Say("/crisis open sev3 Settlement talks --confidential")
	r := "#crisis-20261123-incident-1"
	h.Say("@priya " + r + " /crisis decide Offer 5M")
	h.Say("@alex "+r+" /crisis resolve Settled for 5M").Contains(t, "Settled for 5M", "Offer 5M", "Settlement talks")
	posts := h.Chat.Posts("#crisis-alerts")
	if len(posts) != 1 {
		t.Fatalf("posts in #crisis-alerts = %q, want the notice", posts)
	}
	if strings.Contains(posts[0], "5M") || strings.Contains(posts[0], "Settlement") || !strings.Contains(posts[0], "Crisis #1 resolved — sev3 (confidential)") {
		t.Errorf("#crisis-alerts notice:\n%s", posts[0])
	}
}
