package slack

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseCommandForm(f *testing.F) {
	f.Add(exampleBody)
	f.Add(commandForm("/crisis", "open sev2 <@U0ALICE|alice> &amp;", "U0ALICE", "C0SOCIAL", "1.2.3", "https://hooks.example/x"))
	f.Add("ssl_check=1&token=x")
	f.Add("%zz=&command")
	f.Fuzz(func(t *testing.T, body string) {
		cmd, err := parseCommandForm([]byte(body))
		if err != nil {
			return
		}
		in, err := cmd.inbound()
		if err != nil {
			return
		}
		if !strings.HasPrefix(in.text, "/") || in.user == "" || in.channel == "" {
			t.Fatalf("accepted %+v", in)
		}
		if cmd.TriggerID != "" && in.id != "slack:cmd:"+cmd.TriggerID {
			t.Fatalf("id %q", in.id)
		}
	})
}

func FuzzParseInteraction(f *testing.F) {
	f.Add(`{"type":"block_actions","trigger_id":"1.2","user":{"id":"U1"},"channel":{"id":"C1"},"actions":[{"type":"button","value":"/crisis approve 1"}]}`)
	f.Add(`{"type":"block_actions","user":{"id":"U1"},"container":{"channel_id":"C1"},"actions":[{"type":"button","value":"/a","action_ts":"9"},{"type":"button","value":"/b"}]}`)
	f.Add(`{"type":"view_submission"}`)
	f.Add(`{"type":"block_actions","trigger_id":"1.3","user":{"id":"U1"},"container":{"channel_id":"D1","message_ts":"1.2"},"actions":[{"type":"button","value":"{\"c\":\"/crisis reject 1\",\"n\":\"reason\",\"l\":\"Why?\"}"}]}`)
	f.Add(`{"type":"view_submission","user":{"id":"U1"},"view":{"id":"V1","callback_id":"interlock-input","private_metadata":"{\"a\":\"{\\\"c\\\":\\\"/crisis reject 1\\\",\\\"n\\\":\\\"reason\\\"}\",\"c\":\"D1\"}","state":{"values":{"input":{"text":{"value":"off tone"}}}}}}`)
	f.Add(`{"actions":"nope"}`)
	f.Fuzz(func(t *testing.T, payload string) {
		i, err := parseInteraction([]byte(payload))
		if err == nil {
			seen := map[string]bool{}
			for _, fm := range i.forms() {
				if fm.trigger == "" || fm.context.Channel == "" || fm.input.Name == "" {
					t.Fatalf("form %+v", fm)
				}
			}
			for _, in := range i.inbounds() {
				if !strings.HasPrefix(in.text, "/") || in.user == "" || in.channel == "" || in.markup {
					t.Fatalf("accepted %+v", in)
				}
				if in.id != "" && seen[in.id] {
					t.Fatalf("two commands share the delivery id %q", in.id)
				}
				seen[in.id] = true
			}
		}
		// The same JSON as an HTTP form field parses the same way.
		j, ferr := parseInteractionForm([]byte(url.Values{"payload": {payload}}.Encode()))
		if (ferr == nil) != (err == nil) || (err == nil && len(j.inbounds()) != len(i.inbounds())) {
			t.Fatalf("form and JSON disagree: %v / %v", ferr, err)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	f.Add(eventBody("Ev1", `{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> crisis status ok","channel":"C1"}`))
	f.Add(eventBody("Ev2", `{"type":"message","channel_type":"im","user":"U0ALICE","text":"kpi","channel":"D1"}`))
	f.Add(`{"type":"url_verification","challenge":"abc"}`)
	f.Add(`{"type":"event_callback","event":[]}`)
	f.Fuzz(func(t *testing.T, body string) {
		env, err := parseEvent([]byte(body))
		if err != nil {
			return
		}
		in, ok := env.inbound()
		if !ok {
			return
		}
		if !strings.HasPrefix(in.text, "/") || in.user == "" || in.channel == "" {
			t.Fatalf("accepted %+v", in)
		}
		if env.EventID != "" && in.id != "slack:evt:"+env.EventID {
			t.Fatalf("id %q for event %q", in.id, env.EventID)
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"/role assign comms <@U0ALICE|alice>", "<#C0SOCIAL|social> <https://x.example/?a=1&amp;b=2|x>",
		"&lt;&gt;&amp;", "<!subteam^S1|@team> <!here>", "<<>>", "<@>", "<#|>", "<|>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := normalize(text, testNames())
		if !strings.Contains(text, "<") && !strings.Contains(text, "&") && out != text {
			t.Fatalf("plain text changed: %q → %q", text, out)
		}
		if utf8.ValidString(text) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", text)
		}
	})
}

func FuzzSplitText(f *testing.F) {
	f.Add("aaaa bbbb\ncccc &amp; <@U0ALICE> dddd", 8)
	f.Add("😀é&lt;x", 3)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 2 || limit > 4000 || !utf8.ValidString(text) {
			return
		}
		parts := splitText(text, limit)
		for _, p := range parts {
			if units(p) > limit || strings.TrimSpace(p) == "" {
				t.Fatalf("part %q of %q (limit %d)", p, text, limit)
			}
		}
		if strings.Join(strings.Fields(strings.Join(parts, "")), "") != strings.Join(strings.Fields(text), "") {
			t.Fatalf("splitText lost text: %q → %q", text, parts)
		}
	})
}

func FuzzSocketInbound(f *testing.F) {
	f.Add("slash_commands", `{"command":"/kpi","user_id":"U1","channel_id":"C1","trigger_id":"1"}`)
	f.Add("interactive", `{"type":"block_actions","user":{"id":"U1"},"channel":{"id":"C1"},"actions":[{"type":"button","value":"/x"}]}`)
	f.Add("events_api", eventBody("Ev1", `{"type":"app_mention","user":"U1","text":"hi","channel":"C1"}`))
	f.Fuzz(func(t *testing.T, typ, payload string) {
		ins, _, err := socketInbound(typ, []byte(payload))
		if err != nil {
			return
		}
		for _, in := range ins {
			if !strings.HasPrefix(in.text, "/") || in.user == "" || in.channel == "" {
				t.Fatalf("accepted %+v", in)
			}
		}
	})
}
