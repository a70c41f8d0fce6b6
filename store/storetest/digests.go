package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/store"
)

func digestTests() []test {
	return []test{{"DigestPartsRecordedOnce", testDigestParts}}
}

func testDigestParts(t *testing.T, s store.Store) {
	ctx := t.Context()
	at := time.Date(2027, 4, 5, 7, 0, 0, 0, time.UTC)
	for i, tc := range []struct {
		part string
		want bool
	}{{"message", true}, {"message", false}, {"kpi-engagement-rate.png", true}} {
		got, err := s.RecordDigestPart(ctx, store.DigestPart{Digest: "exec", Period: "2027-04-05", Part: tc.part, PostedAt: at})
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if got != tc.want {
			t.Fatalf("record %d (%s) = %v, want %v", i, tc.part, got, tc.want)
		}
	}
	if _, err := s.RecordDigestPart(ctx, store.DigestPart{Digest: "exec", Period: "2027-05-03", Part: "message", PostedAt: at}); err != nil {
		t.Fatal(err)
	}
	parts, err := s.DigestParts(ctx, "exec", "2027-04-05")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"kpi-engagement-rate.png", "message"}; !slices.Equal(parts, want) {
		t.Fatalf("parts = %v, want %v", parts, want)
	}
	if err := s.ForgetDigestPart(ctx, "exec", "2027-04-05", "message"); err != nil {
		t.Fatal(err)
	}
	if parts, _ := s.DigestParts(ctx, "exec", "2027-04-05"); !slices.Equal(parts, []string{"kpi-engagement-rate.png"}) {
		t.Fatalf("after forgetting, parts = %v", parts)
	}
	if parts, _ := s.DigestParts(ctx, "care", "2027-04-05"); len(parts) != 0 {
		t.Fatalf("other digest has parts %v", parts)
	}
}
