package approval

import (
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func TestCheck(t *testing.T) {
	base := Ballot{Subject: "stage legal of #4", Roles: []string{"comms", "legal"}, Quorum: 2, Submitter: "priya", Segregate: true}
	tests := []struct {
		name     string
		ballot   Ballot
		person   string
		held     []string
		wantRole string
		wantCode bot.Code
	}{
		{"eligible", base, "sam", []string{"comms"}, "comms", ""},
		{"not a holder", base, "lee", nil, "", bot.EForbidden},
		{"answers once", base.With(Answer{Person: "SAM", Role: "comms", Approve: true}), "sam", []string{"comms"}, "", bot.EConflict},
		{"submitter refused", base, "priya", []string{"legal"}, "", bot.EForbidden},
		{"segregation off", Ballot{Roles: base.Roles, Submitter: "priya"}, "priya", []string{"legal"}, "legal", ""},
		{"picks an uncovered role", base.With(Answer{Person: "sam", Role: "comms", Approve: true}), "dana", []string{"comms", "legal"}, "legal", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role, err := tt.ballot.Check(tt.person, tt.held)
			if tt.wantCode != "" {
				if bot.ErrorCode(err) != tt.wantCode {
					t.Fatalf("err = %v, want code %s", err, tt.wantCode)
				}
				return
			}
			if err != nil || role != tt.wantRole {
				t.Fatalf("Check = %q, %v; want %q", role, err, tt.wantRole)
			}
		})
	}
}

func TestQuorumCountsDistinctRoles(t *testing.T) {
	b := Ballot{Roles: []string{"comms", "legal"}, Quorum: 2}
	b = b.With(Answer{Person: "sam", Role: "comms", Approve: true}).With(Answer{Person: "maria", Role: "comms", Approve: true})
	if b.Met() || b.Approvals() != 1 {
		t.Fatalf("two comms approvals met a quorum of two roles: %d", b.Approvals())
	}
	b = b.With(Answer{Person: "lee", Role: "legal", Approve: false})
	if b.Met() {
		t.Fatal("a refusal counted as an approval")
	}
	if !b.With(Answer{Person: "dana", Role: "legal", Approve: true}).Met() {
		t.Fatal("comms and legal approvals should meet the quorum")
	}
}
