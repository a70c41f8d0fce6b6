package slack

import "testing"

// names is a resolver from fixed maps; unknown users have no handle.
type names struct{ users, channels map[string]string }

func (n names) userHandle(id string) string  { return n.users[id] }
func (n names) channelName(id string) string { return n.channels[id] }

func testNames() names {
	return names{
		users:    map[string]string{"U0ALICE": "alice", "W0BOB": "bob"},
		channels: map[string]string{"C0SOCIAL": "social"},
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"/role assign comms <@U0ALICE|alice.s>", "/role assign comms @alice"},
		{"<@W0BOB>", "@bob"},
		{"<@U0UNKNOWN|zed>", "@zed"},
		{"<@U0UNKNOWN>", "@U0UNKNOWN"},
		{"--channel <#C0SOCIAL|social>", "--channel #social"},
		{"<#C0SOCIAL>", "#social"},
		{"<#C0OTHER>", "#C0OTHER"},
		{"<#C0OTHER|>", "#C0OTHER"},
		{"--link <https://shop.example.com/o?id=1&amp;x=2|order page>", "--link https://shop.example.com/o?id=1&x=2"},
		{"<https://example.com>", "https://example.com"},
		{"<mailto:legal@example.com|legal@example.com>", "legal@example.com"},
		{"<!here> <!channel> <!subteam^S0ONCALL|@oncall> <!date^1392734382^{date}|Feb 18>", "@here @channel @oncall Feb 18"},
		{"a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"},
		{"ends with <", "ends with <"},
		{"<unclosed", "<unclosed"},
		{"“quoted” text stays", "“quoted” text stays"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := normalize(tc.in, testNames()); got != tc.want {
			t.Errorf("normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
