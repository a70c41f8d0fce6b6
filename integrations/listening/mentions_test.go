package listening_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/alerts"
	"github.com/interlock-coe/interlock/integrations/listening"
	"github.com/interlock-coe/interlock/integrations/web"
	"github.com/interlock-coe/interlock/store"
)

// mentionRecorder is a MentionIngester that keeps what it was given.
type mentionRecorder struct{ got []store.Mention }

func (r *mentionRecorder) IngestMentions(_ context.Context, ms []store.Mention) (alerts.MentionsReceipt, error) {
	r.got = append(r.got, ms...)
	return alerts.MentionsReceipt{Stored: len(ms)}, nil
}

const goodMention = `{"source":"X","id":"1850012345","brand":"ACME","topic":"Recall","time":"2026-11-23T11:14:03Z",
	"sentiment":"negative","text":"my acme phone caught fire","url":"https://x.example/1","author":"@kim","followers":12000}`

func TestMentionsAccepted(t *testing.T) {
	rec := &mentionRecorder{}
	h := listening.NewMentionsHandler(rec, exampleConfig(t), auth, fixedClock{now}, quiet())
	body := "[" + goodMention + `,{"source":"x","id":77,"brand":"acme","time":"2026-11-23T11:15:00Z","sentiment":0.4},
		{"source":"x","id":"3","brand":"acme","time":"2026-11-23T11:16:00Z","sentiment":-0.02}]`
	if w := post(t, h, body); w.Code != http.StatusAccepted {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	want := store.Mention{Source: "x", ID: "1850012345", Brand: "acme", Topic: "recall", At: time.Date(2026, 11, 23, 11, 14, 3, 0, time.UTC),
		Sentiment: -1, Text: "my acme phone caught fire", URL: "https://x.example/1", Author: "kim", Followers: 12000}
	if len(rec.got) != 3 || rec.got[0] != want {
		t.Fatalf("got %+v, want first %+v", rec.got, want)
	}
	if rec.got[1].ID != "77" || rec.got[1].Sentiment != 1 || rec.got[2].Sentiment != 0 {
		t.Errorf("numeric id and scores: %+v", rec.got[1:])
	}
}

func TestMentionsRefused(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"no id", `{"source":"x","brand":"acme","time":"2026-11-23T11:00:00Z"}`, `item 0: field "id"`},
		{"fractional id", `{"source":"x","id":1.5,"brand":"acme","time":"2026-11-23T11:00:00Z"}`, `field "id"`},
		{"unknown brand", `{"source":"x","id":"1","brand":"nope","time":"2026-11-23T11:00:00Z"}`, `field "brand"`},
		{"no time", `{"source":"x","id":"1","brand":"acme"}`, `field "time"`},
		{"future", `{"source":"x","id":"1","brand":"acme","time":"2026-11-24T11:00:00Z"}`, `field "time"`},
		{"bad sentiment word", `{"source":"x","id":"1","brand":"acme","time":"2026-11-23T11:00:00Z","sentiment":"angry"}`, `field "sentiment"`},
		{"score out of range", `{"source":"x","id":"1","brand":"acme","time":"2026-11-23T11:00:00Z","sentiment":2}`, `field "sentiment"`},
		{"bad url", `{"source":"x","id":"1","brand":"acme","time":"2026-11-23T11:00:00Z","url":"javascript:alert(1)"}`, `field "url"`},
		{"negative followers", `{"source":"x","id":"1","brand":"acme","time":"2026-11-23T11:00:00Z","followers":-5}`, `field "followers"`},
		{"second item", "[" + goodMention + `,{"source":"x","brand":"acme"}]`, `item 1: field "id"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &mentionRecorder{}
			h := listening.NewMentionsHandler(rec, exampleConfig(t), auth, fixedClock{now}, quiet())
			w := post(t, h, tc.body)
			if w.Code != http.StatusBadRequest || !strings.Contains(strings.ReplaceAll(w.Body.String(), `\"`, `"`), tc.want) || len(rec.got) != 0 {
				t.Errorf("status %d, body %s, %d stored; want 400 naming %s", w.Code, w.Body, len(rec.got), tc.want)
			}
		})
	}
}

func TestMentionsNeedCredentials(t *testing.T) {
	h := listening.NewMentionsHandler(&mentionRecorder{}, exampleConfig(t), auth, fixedClock{now}, quiet())
	if w := post(t, h, goodMention, "Authorization", ""); w.Code != http.StatusUnauthorized {
		t.Errorf("no credentials: status %d, want 401", w.Code)
	}
	if w := post(t, h, goodMention, "Authorization", "", "X-Interlock-Signature", web.SignatureHeader(auth.Secret, []byte(goodMention))); w.Code != http.StatusAccepted {
		t.Errorf("HMAC-signed: status %d, want 202", w.Code)
	}
}

// FuzzMentionsBody feeds arbitrary bodies to the mentions webhook: 202 or
// 400, never a panic, and only valid mentions accepted.
func FuzzMentionsBody(f *testing.F) {
	f.Add(goodMention)
	f.Add("[" + goodMention + "," + goodMention + "]")
	f.Add(`{"source":"x","id":12,"brand":"acme","time":"2026-11-23T11:00:00Z","sentiment":-1}`)
	f.Add(`{"id":1e400}`)
	f.Add(`{"id":"","sentiment":null}`)
	f.Add(`[null]`)
	f.Add(`{"source":"x","id":"\u0000","brand":"acme","time":"0001-01-01T00:00:00Z"}`)
	rec := &mentionRecorder{}
	h := listening.NewMentionsHandler(rec, exampleConfig(f), auth, fixedClock{now}, quiet())
	f.Fuzz(func(t *testing.T, b string) {
		rec.got = nil
		w := post(t, h, b)
		if w.Code != http.StatusAccepted && w.Code != http.StatusBadRequest {
			t.Fatalf("status %d for %q: %s", w.Code, b, w.Body)
		}
		for _, m := range rec.got {
			if m.Source == "" || m.ID == "" || m.Brand == "" || m.At.After(now.Add(5*time.Minute)) || m.At.Year() < 2000 ||
				m.Sentiment < -1 || m.Sentiment > 1 || m.Followers < 0 || m.Followers > 1e12 {
				t.Fatalf("accepted an invalid mention %+v from %q", m, b)
			}
		}
	})
}
