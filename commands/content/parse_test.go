package content

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/interlock-coe/interlock/bot"
)

func TestParseSubmit(t *testing.T) {
	tests := []struct {
		text string
		want submission
		err  string
	}{
		{"Spring post --link https://x.io --brand acme", submission{Title: "Spring post", Link: "https://x.io", Brand: "acme"}, ""},
		{"Recall --fast-track safety issue now --link https://x.io", submission{Title: "Recall", Link: "https://x.io", FastTrack: true, Reason: "safety issue now"}, ""},
		{"Post --link=https://x.io --publish-at 2026-11-25 10:00 more title", submission{Title: "Post more title", Link: "https://x.io", PublishAt: "2026-11-25 10:00"}, ""},
		{"Post --link https://x.io --sensitivity HIGH", submission{Title: "Post", Link: "https://x.io", Sensitivity: "high"}, ""},
		{`"Quoted title" --link https://x.io --fast-track "why not"`, submission{Title: "Quoted title", Link: "https://x.io", FastTrack: true, Reason: "why not"}, ""},
		{"Post", submission{}, "--link is required"},
		{"--link https://x.io", submission{}, "title"},
		{"Post --link https://x.io --fast-track", submission{}, "needs a reason"},
		{"Post --link", submission{}, "--link needs a value"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := parseSubmit(bot.Tokenize(tt.text))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseSubmit = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParsePublishAt(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		err  string
	}{
		{"2026-11-23T15:00", time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC), ""},
		{"2026-11-23 15:00", time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC), ""},
		{"2026-11-24T08:00:00Z", time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), ""},
		{"+6h", now.Add(6 * time.Hour), ""},
		{"+2d", now.Add(48 * time.Hour), ""},
		{"2026-11-23T09:30", time.Time{}, "in the past"},
		{"+0h", time.Time{}, "not a time"},
		{"2099-01-01T00:00", time.Time{}, "ten years"},
		{"soon", time.Time{}, "not a time"},
	}
	for _, tt := range tests {
		got, err := parsePublishAt(tt.in, now, berlin)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("%s: got %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// FuzzSubmitArguments feeds /content submit's argument parsing, --publish-at
// included, with arbitrary text: it never panics, refuses with a coded
// error, and what it accepts has a title, a link and a future time.
func FuzzSubmitArguments(f *testing.F) {
	for _, seed := range []string{
		"Spring post --link https://x.io --brand acme --publish-at 2026-11-25 10:00",
		`Recall --fast-track "safety" issue --link=https://x.io --publish-at +6h`,
		"--fast-track --link --publish-at 9999-99-99T99:99",
		"Post --link https://x.io --publish-at 2026-11-23T09:00:00+14:00",
		"“smart quotes” --link ‘x’ --publish-at +1e9h",
	} {
		f.Add(seed)
	}
	loc, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		s, err := parseSubmit(bot.Tokenize(text))
		if err != nil {
			if bot.ErrorCode(err) != bot.EInvalid {
				t.Fatalf("uncoded error %v", err)
			}
			return
		}
		if s.Title == "" || s.Link == "" || (s.FastTrack && strings.TrimSpace(s.Reason) == "") {
			t.Fatalf("accepted an incomplete submission %+v", s)
		}
		if s.PublishAt == "" {
			return
		}
		at, err := parsePublishAt(s.PublishAt, now, loc)
		if err != nil {
			if bot.ErrorCode(err) != bot.EInvalid {
				t.Fatalf("uncoded error %v", err)
			}
			return
		}
		if !at.After(now) || at.Sub(now) > 10*365*24*time.Hour {
			t.Fatalf("accepted publish time %v from %q", at, s.PublishAt)
		}
	})
}
