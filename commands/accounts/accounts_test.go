package accounts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/store"
)

const day = 24 * time.Hour

// inventoryCSV has 20 good accounts, two duplicates (lines 6 and 12) and a
// bad row (line 9: an unknown brand).
func inventoryCSV() string {
	var b strings.Builder
	b.WriteString("network,handle,brand,owner,backup,dept,url,two_factor,last_post\n")
	brands := []string{"acme", "globex", "umbrella"}
	owners := []string{"dana", "maria", "priya"}
	line := 1
	for i := range 20 {
		line++
		switch line {
		case 6:
			b.WriteString("instagram,brand0,acme,dana,,marketing,,on,2026-11-01\n") // duplicate of line 2
			line++
		case 9:
			b.WriteString("x,nobrand,initech,dana,,,,on,\n") // unknown brand
			line++
		case 12:
			b.WriteString("Instagram,@BRAND0,globex,maria,,,,off,\n") // duplicate again, other case
			line++
		}
		fmt.Fprintf(&b, "instagram,brand%d,%s,%s,lee,marketing,https://instagram.com/brand%d,on,2026-11-01\n", i, brands[i%3], owners[i%3], i)
	}
	return b.String()
}

// TestInventoryConversation imports the inventory, runs a quarterly review
// through its reminder and escalation, confirms it revoking a person, and
// offboards a user whose accounts go to it-security.
func TestInventoryConversation(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, opt commandstest.Option) {
		h, svc := newHarness(t, opt)
		for _, line := range []string{"/role assign it-security @lee", "/role assign comms @dana", "/role assign community @maria", "/role assign community @priya"} {
			if r := h.Say(line); r.Err != nil {
				t.Fatalf("%s: %v", line, r.Err)
			}
		}
		rep, err := svc.Import(context.Background(), strings.NewReader(inventoryCSV()), "alex")
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if rep.Rows != 23 || rep.Added != 20 || rep.BadCount != 3 {
			t.Fatalf("report %+v", rep)
		}
		containsAll(t, rep.String(), "imported 20 of 23", "line 6: instagram @brand0 is already in the inventory",
			"line 9: unknown brand", "line 12: instagram @BRAND0 is already in the inventory")
		h.Say("/accounts list").Contains(t, "Accounts (20)", "#1 instagram @brand0 (acme) owner @dana")

		h.Say("/accounts grant 1 @sam --level publisher").Contains(t, "@sam now has publisher access", "requires brand-voice-101")
		h.Say("/accounts grant 1 @jordan --level viewer").Contains(t, "@jordan now has viewer access")
		h.Say("/accounts grant 2 @dana --level admin").Contains(t, "@dana now has admin access")

		// The quarterly review: every owner gets one DM per account.
		h.Advance(13*7*day + time.Hour)
		if n := len(dms(h, "dana")); n != 7 {
			t.Fatalf("dana got %d review DMs, want 7 (one per account)", n)
		}
		review := dms(h, "dana")[0]
		containsAll(t, review, "Access review: #1 instagram @brand0", "@jordan — viewer", "@sam — publisher",
			"/accounts review 1 keep @sam", "/accounts review 1 revoke @jordan", "/accounts confirm 1")
		h.Say("/accounts list --overdue").Contains(t, "No accounts match")

		// dana confirms account 4 at once; the rest wait.
		h.Say("@dana /accounts confirm 4").Contains(t, "Access review of #4 instagram @brand3 (acme) confirmed by @dana")
		h.Advance(7 * day)
		reminders := 0
		for _, m := range dms(h, "dana") {
			if strings.Contains(m, "Reminder") {
				reminders++
			}
		}
		if reminders != 6 {
			t.Errorf("dana got %d reminders, want 6 (not the confirmed account)", reminders)
		}
		h.Say("/accounts list --overdue").Contains(t, "Accounts (19)", "review-overdue")
		if len(posts(h, "#it-security")) != 0 {
			t.Fatal("it-security told before 14 days")
		}
		h.Advance(7 * day)
		escalated := posts(h, "#it-security")
		if len(escalated) != 19 {
			t.Fatalf("it-security told %d times, want 19", len(escalated))
		}
		containsAll(t, bot.PlainText(escalated[0]), "@lee", "has not confirmed the access review")

		// dana revokes jordan and confirms: the outcome is in the decision log.
		h.Say("@sam /accounts review 1 revoke @jordan").Fails(t, bot.EForbidden, "only the owner @dana")
		h.Say("@dana /accounts review 1 revoke @jordan").Contains(t, "@jordan — viewer", "marked revoke")
		h.Say("@dana /accounts confirm 1").Contains(t, "kept @sam; revoked @jordan")
		h.Say("/decisions access review").Contains(t, "[account]", "confirmed by @dana: kept @sam; revoked @jordan")
		h.Say("/accounts show 1").Contains(t, "@sam publisher", "confirmed", "Last review")
		if a, _ := h.Store.Account(context.Background(), 1); len(a.Access) != 1 || a.Access[0].Person != "sam" {
			t.Errorf("access after the review = %+v, want @sam only", a.Access)
		}

		// A person revoked by hand.
		h.Say("/accounts revoke 1 @sam").Contains(t, "@sam no longer has access to #1")

		// Offboarding: dana loses her last role.
		before := len(posts(h, "#it-security"))
		h.Say("/role remove comms @dana").Contains(t, "no longer holds comms")
		off := posts(h, "#it-security")
		if len(off) != before+1 {
			t.Fatalf("offboarding posts: %d new, want 1", len(off)-before)
		}
		msg := off[len(off)-1]
		containsAll(t, bot.PlainText(msg), "Offboarding: @dana", "could reach 8 accounts", "#2 instagram @brand1 (globex): admin access")
		if len(msg.Buttons) != 1 || msg.Buttons[0].Command != "/accounts revoke 2 @dana" {
			t.Errorf("offboarding buttons = %+v", msg.Buttons)
		}
		h.Say("@lee /accounts revoke 2 @dana").Contains(t, "@dana no longer has access to #2")
		h.Say("/accounts show 4").Contains(t, "owner-without-role")
	})
}

// TestFlagsAppearAndClear builds an account for each flag and fixes it.
func TestFlagsAppearAndClear(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, opt commandstest.Option) {
		h, svc := newHarness(t, opt)
		h.Say("/role assign comms @dana")
		h.Say("/accounts add instagram acme --brand acme --owner @dana")
		h.Say("/accounts edit 1 --two-factor on --last-post 2026-11-20")
		flags := func() string {
			fs, err := svc.Flagged(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, f := range fs {
				for _, fl := range f.Flags {
					kinds = append(kinds, fl.Kind)
				}
			}
			return strings.Join(kinds, ",")
		}
		if got := flags(); got != "" {
			t.Fatalf("clean account flagged %q", got)
		}
		steps := []struct {
			name, breakIt, fixIt, flag string
		}{
			{"untrained publisher", "/accounts grant 1 @sam --level publisher", "/accounts trained @sam brand-voice-101", "untrained"},
			{"two-factor off", "/accounts edit 1 --two-factor off", "/accounts edit 1 --two-factor on", "2fa-off"},
			{"owner without a role", "/accounts edit 1 --owner @noah", "/role assign hr @noah", "owner-without-role"},
		}
		for _, s := range steps {
			h.Say(s.breakIt)
			if got := flags(); got != s.flag {
				t.Errorf("%s: flags %q, want %q", s.name, got, s.flag)
			}
			h.Say("/accounts show 1").Contains(t, s.flag)
			h.Say(s.fixIt)
			if got := flags(); got != "" {
				t.Errorf("%s fixed: flags %q", s.name, got)
			}
		}
		// Abandoned: 90 days without a post; a post fixes it. The review falls
		// due meanwhile; confirming it clears the overdue flag.
		h.Clock.Set(commandstest.Start.Add(92 * day))
		if got := flags(); got != "abandoned,review-overdue" {
			t.Errorf("after 92 days: flags %q", got)
		}
		h.Say("/accounts list --abandoned").Contains(t, "#1 instagram @acme", "abandoned")
		h.Say("/accounts edit 1 --last-post " + h.Clock.Now().Format("2006-01-02"))
		h.Say("/accounts list --abandoned").Contains(t, "No accounts match")
		h.Advance(time.Minute) // the quarterly review fires
		h.Say("@noah /accounts confirm 1").Contains(t, "confirmed by @noah")
		if got := flags(); got != "" {
			t.Errorf("all fixed: flags %q", got)
		}
	})
}

// TestBadInputStoresNothing sends each command wrong input: the sender gets
// the usage line, and nothing is stored.
func TestBadInputStoresNothing(t *testing.T) {
	h, _ := newHarness(t)
	h.Say("/accounts add instagram acme --brand acme --owner @dana").Contains(t, "added")
	before := snapshot(t, h)
	for _, line := range []string{
		"/accounts add instagram",
		"/accounts add instagram acme2 --owner @dana",
		"/accounts add instagram acme2 --brand nope --owner @dana",
		"/accounts add instagram acme2 --brand acme",
		"/accounts add in$ta acme2 --brand acme --owner @dana",
		"/accounts add instagram ac!me --brand acme --owner @dana",
		"/accounts add instagram acme2 --brand acme --owner @dana --url ftp://x",
		"/accounts add instagram acme2 extra --brand acme --owner @dana",
		"/accounts edit 1",
		"/accounts edit x --two-factor on",
		"/accounts edit 1 --two-factor maybe",
		"/accounts edit 1 --last-post yesterday",
		"/accounts edit 1 --last-post 2030-01-01",
		"/accounts edit 1 --owner dana",
		"/accounts remove",
		"/accounts show",
		"/accounts show abc",
		"/accounts list --brand nope",
		"/accounts grant 1 @sam",
		"/accounts grant 1 @sam --level owner",
		"/accounts grant 1 sam --level viewer",
		"/accounts revoke 1",
		"/accounts trained @sam",
		"/accounts trained sam brand-voice-101",
		"/accounts trained @sam brand-voice-101 --on 31-12-2026",
		"/accounts review",
		"/accounts review 1 maybe @sam",
	} {
		r := h.Say(line)
		if r.Err == nil || !r.Private() || !strings.Contains(r.Text(), "Usage: /accounts") {
			t.Errorf("%s: err %v, reply %q; want a private usage line", line, r.Err, r.Text())
		}
	}
	// Refused for the state, not the syntax: no usage line, nothing stored.
	for _, line := range []string{
		"/accounts add instagram ACME --brand acme --owner @dana",
		"/accounts edit 9 --two-factor on",
		"/accounts remove 9",
		"/accounts grant 9 @sam --level viewer",
		"/accounts revoke 1 @sam",
		"/accounts review 1 keep @sam",
		"/accounts confirm 1",
	} {
		if r := h.Say(line); r.Err == nil || !r.Private() {
			t.Errorf("%s: err %v, reply %q; want a private refusal", line, r.Err, r.Text())
		}
	}
	if after := snapshot(t, h); after != before {
		t.Errorf("bad input stored something:\nbefore %s\nafter  %s", before, after)
	}
}

func TestOnlySecurityAndLeadChangeAccess(t *testing.T) {
	h, _ := newHarness(t)
	h.Say("/accounts add instagram acme --brand acme --owner @dana")
	h.Say("@sam /accounts grant 1 @sam --level admin").Fails(t, bot.EForbidden, "only")
	h.Say("@sam /accounts add x acme --brand acme --owner @sam").Fails(t, bot.EForbidden, "only")
	h.Say("@sam /accounts list").Contains(t, "#1 instagram @acme")
	h.Say("/role assign it-security @lee")
	h.Say("@lee /accounts grant 1 @sam --level admin").Contains(t, "@sam now has admin access")
	a, _ := h.Store.Account(context.Background(), 1)
	if len(a.Access) != 1 || a.Access[0].Level != store.LevelAdmin {
		t.Errorf("access %+v", a.Access)
	}
}
