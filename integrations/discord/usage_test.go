package discord

import (
	"strings"
	"testing"
)

// summary describes parameters compactly: name:kind, "!" when required,
// {choices}, "…" for free text, the typed prefix and the --flag.
func summary(ps []param) string {
	var parts []string
	for _, p := range ps {
		s := p.name + ":" + [...]string{"string", "int", "bool", "user"}[p.kind]
		if p.required {
			s += "!"
		}
		if len(p.choices) > 0 {
			s += "{" + strings.Join(p.choices, ",") + "}"
		}
		if p.rest {
			s += "…"
		}
		if p.prefix != "" {
			s += " " + p.prefix
		}
		if p.flag != "" {
			s += " --" + p.flag
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " | ")
}

func TestParseUsage(t *testing.T) {
	placeholders := map[string]bool{"department": true, "id": true, "role": true}
	tests := []struct {
		usage, want string
	}{
		{"", ""},
		{"<sev1|sev2|sev3|sev4> <title…> [--brand B]", "sev:string!{sev1,sev2,sev3,sev4} | title:string!… | brand:string --brand"},
		{"<role> @user [--brand B] [--backup]", "role:string! | user:user! | brand:string --brand | backup:bool --backup"},
		{"<proposal-id>", "proposal-id:int!"},
		{"<proposal-id> <reason…>", "proposal-id:int! | reason:string!…"},
		{"<update...>", "update:string!…"},
		{"sev <level>", "sev:string! | level:string!"},
		{"[<id>]", "id:int"},
		{"<id>", "id:int!"},
		{"[command]", "command:string"},
		{"[search…] [--since 30d]", "search:string… | since:string --since"},
		{"[--all]", "all:bool --all"},
		{"[--open|--mine]", "open:bool --open | mine:bool --mine"},
		{"<department|auto> <summary…> [--link URL] [--brand B]", "department:string! | summary:string!… | link:string --link | brand:string --brand"},
		{"<id> a=<successes>/<trials> b=<successes>/<trials> [--notes N]", "id:int! | a:string! a= | b:string! b= | notes:string --notes"},
		{"[metric] [--brand B] [--channel C] [--period 7d|30d|mtd|qtd]", "metric:string | brand:string --brand | channel:string --channel | period:string{7d,30d,mtd,qtd} --period"},
		{"<department> [--week first|second|third|fourth|last] [--weekday tue] [--time 15:00] [--tz Area/City] [--duration 30m]",
			"department:string! | week:string{first,second,third,fourth,last} --week | weekday:string --weekday | time:string --time | tz:string --tz | duration:string --duration"},
		{"<yes|no>", "choice:string!{yes,no}"},
		{"<title…> --link URL [--brand B] [--fast-track <reason…>]", "title:string!… | link:string! --link | brand:string --brand | fast-track:string --fast-track"},
		{"[@person]", "person:user"},
	}
	for _, tt := range tests {
		if got := summary(parseUsage(tt.usage, placeholders)); got != tt.want {
			t.Errorf("parseUsage(%q)\n got %s\nwant %s", tt.usage, got, tt.want)
		}
	}
}

func TestPlaceholderWords(t *testing.T) {
	got := placeholderWords([]string{"<department|auto> <summary…>", "<id> <department>", "[<id>] [search…]"})
	for _, w := range []string{"department", "summary", "id"} {
		if !got[w] {
			t.Errorf("missing %q in %v", w, got)
		}
	}
	if got["auto"] || got["department|auto"] || got["search"] {
		t.Errorf("unexpected words in %v", got)
	}
}
