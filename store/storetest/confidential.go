package storetest

import (
	"testing"

	"github.com/interlock-coe/interlock/store"
)

func confidentialTests() []test {
	return []test{{"CrisisConfidentialIsKept", testCrisisConfidential}}
}

// testCrisisConfidential checks that --confidential is stored with a new
// crisis, read back by every loader, and not cleared by SaveCrisis.
func testCrisisConfidential(t *testing.T, s store.Store) {
	ctx := t.Context()
	plain := openCrisis(t, s, newCrisis("acme", "Checkout outage", base()))
	c := newCrisis("acme", "Settlement talks", base())
	c.Confidential = true
	secret := openCrisis(t, s, c)
	if !secret.Confidential || plain.Confidential {
		t.Fatalf("created: confidential %v and plain %v, want true and false", secret.Confidential, plain.Confidential)
	}
	secret.RoomID = "C-secret"
	secret.Confidential = false
	if err := s.SaveCrisis(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if got := must(s.Crisis(ctx, secret.ID))(t); !got.Confidential {
		t.Error("SaveCrisis cleared confidential")
	}
	if got := must(s.CrisisByRoom(ctx, "C-secret"))(t); !got.Confidential {
		t.Error("CrisisByRoom lost confidential")
	}
	for _, got := range must(s.ListCrises(ctx, true))(t) {
		if got.Confidential != (got.ID == secret.ID) {
			t.Errorf("ListCrises: crisis %d confidential = %v", got.ID, got.Confidential)
		}
	}
}
