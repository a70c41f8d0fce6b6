package discord

import (
	"regexp"
	"strings"
	"testing"
)

// live matches mention syntax Discord would act on: "<@", "<#", "</" or
// "<!" not escaped by a backslash, and @everyone or @here.
var live = regexp.MustCompile(`(^|[^\\])<[@#/!]|@everyone|@here`)

// FuzzInert checks that no outside text comes out with live mention syntax,
// even when the text brings backslashes of its own (`\<@1>` once came out
// as `\\<@1>`: a backslash, then a live mention).
func FuzzInert(f *testing.F) {
	for _, s := range []string{"<@123> @everyone <!channel> <#C1>", "</cmd:1>", "<@&5>", `\<@1>`, "@@here", "plain", "<<@1>", `<\!`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := inert(s)
		// An escaped backslash shows as one character: "_" stands for it
		// (removing it would join "<" to what follows, which Discord does not).
		if loc := live.FindStringIndex(strings.ReplaceAll(got, `\\`, "_")); loc != nil {
			t.Errorf("inert(%q) = %q still has live mention syntax at %v", s, got, loc)
		}
	})
}
