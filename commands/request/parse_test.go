package request

import (
	"reflect"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func TestParsePlacement(t *testing.T) {
	tests := []struct {
		text    string
		want    placement
		wantErr string
	}{
		{`/request listening-report Q4 deep dive --brand acme --question why did sentiment drop --due-by 2026-12-10`, placement{
			Service: "listening-report", Details: "Q4 deep dive",
			Fields: map[string]string{"brand": "acme", "question": "why did sentiment drop", "due-by": "2026-12-10"},
			Order:  []string{"brand", "question", "due-by"},
		}, ""},
		{`/interlock request Campaign-Support "spring launch" --launch-date="2026-12-01" --channels "ig, tiktok"`, placement{
			Service: "campaign-support", Details: "spring launch",
			Fields: map[string]string{"launch-date": "2026-12-01", "channels": "ig, tiktok"}, Order: []string{"launch-date", "channels"},
		}, ""},
		{`/request report a -- b --5 more`, placement{Service: "report", Details: "a -- b --5 more", Fields: map[string]string{}}, ""},
		{`/request report x --brand`, placement{}, "--brand needs a value"},
		{`/request report x --brand= --q y`, placement{}, "--brand needs a value"},
		{`/request report x --brand a --BRAND b`, placement{}, "--brand given twice"},
		{`/request`, placement{Fields: map[string]string{}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := parsePlacement(commandTokens(tt.text))
			if tt.wantErr != "" {
				if !bot.IsCode(err, bot.EInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// FuzzParsePlacement checks that any text parses without panicking, that
// every field read has a name and a value, and that no --field is left in
// the details.
func FuzzParsePlacement(f *testing.F) {
	for _, seed := range []string{
		"/request listening-report Q4 --brand acme --question why did it drop",
		`/request x "a b" --f="v w" --g 'h'`,
		"/request --brand", "/request a -- --b", "/request a --b=", "/interlock request a --é x",
		"/request a --b c --b d", "“unclosed --x y",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := parsePlacement(commandTokens(text))
		if err != nil {
			if !bot.IsCode(err, bot.EInvalid) {
				t.Fatalf("error %v is not EInvalid", err)
			}
			return
		}
		if len(p.Order) != len(p.Fields) {
			t.Fatalf("order %v does not match fields %v", p.Order, p.Fields)
		}
		for name, v := range p.Fields {
			if name == "" || strings.TrimSpace(v) == "" {
				t.Fatalf("field %q = %q", name, v)
			}
		}
		for _, w := range strings.Fields(p.Service + " " + p.Details) {
			if isOption(w) && !strings.Contains(text, `"`) && !strings.Contains(text, "'") && !strings.ContainsAny(text, "“‘") {
				t.Fatalf("option %q left in the details of %q", w, text)
			}
		}
	})
}
