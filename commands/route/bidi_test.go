package route_test

import (
	"context"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/commands/route"
)

// TestInboxSummariesLoseBidiControls routes an inbox message whose text
// would read backwards: the posted summary keeps the words, not the
// controls.
func TestInboxSummariesLoseBidiControls(t *testing.T) {
	f := newFixture(t)
	f.assignLiaisons(t)
	_, _, err := f.svc.Ingest(context.Background(), route.Message{
		Source: "zendesk", ExternalID: "z-1", Author: "\u202Eeve", Text: "Where is my \u202Eredro\u202C \u2066order\u2069?",
	})
	if err != nil {
		t.Fatal(err)
	}
	posts := strings.Join(f.posts("#customer-care"), "\n")
	if !strings.Contains(posts, "Where is my redro order?") || strings.ContainsAny(posts, "\u202E\u202C\u2066\u2069") {
		t.Errorf("#customer-care: %q", posts)
	}
}
