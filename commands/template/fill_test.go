package template

import (
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func TestFill(t *testing.T) {
	const text = "Sorry {Name}! Order {order} ships today, {name}. {{not a key}}"
	tests := []struct {
		values  map[string]string
		want    string
		wantErr string
	}{
		{map[string]string{"name": "Ann", "order": "A-12"}, "Sorry Ann! Order A-12 ships today, Ann. {not a key}", ""},
		{map[string]string{"name": "{order}", "order": "1"}, "Sorry {order}! Order 1 ships today, {order}. {not a key}", ""},
		{map[string]string{"name": "Ann"}, "", "missing {order}: add order=…"},
		{map[string]string{}, "", "missing {name}, {order}: add name=… order=…"},
		{map[string]string{"name": "Ann", "order": "1", "tone": "warm"}, "", "unknown key tone: the template has {name}, {order}"},
	}
	for _, tt := range tests {
		got, err := Fill(text, tt.values)
		if tt.wantErr != "" {
			if !bot.IsCode(err, bot.EInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Fill(%v) error = %v, want %q", tt.values, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Fill(%v) = %q, %v; want %q", tt.values, got, err, tt.want)
		}
	}
}

func TestPlaceholdersRefuseBadText(t *testing.T) {
	for text, want := range map[string]string{
		"":                             "no text",
		"Hi {name":                     "a { without its }",
		"Hi name}":                     "a } without its {",
		"Hi {first name}":              "is not a name",
		"Hi {}":                        "is not a name",
		"Hi {1st}":                     "is not a name",
		strings.Repeat("x", maxText+1): "characters long",
	} {
		if _, err := Placeholders(text); !bot.IsCode(err, bot.EInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("Placeholders(%.20q) = %v, want %q", text, err, want)
		}
	}
	if keys, err := Placeholders("{a}{B}{a} {{x}}"); err != nil || strings.Join(keys, ",") != "a,b" {
		t.Errorf("keys = %v, %v", keys, err)
	}
}

func TestParseValues(t *testing.T) {
	got, err := ParseValues([]string{"Name=Ann Lee", "order=A=12"})
	if err != nil || got["name"] != "Ann Lee" || got["order"] != "A=12" || len(got) != 2 {
		t.Fatalf("ParseValues = %v, %v", got, err)
	}
	for _, words := range [][]string{{"name"}, {"name="}, {"=Ann"}, {"a b=c"}, {"name=a", "NAME=b"}, {"x=" + strings.Repeat("v", maxValue+1)}} {
		if _, err := ParseValues(words); !bot.IsCode(err, bot.EInvalid) {
			t.Errorf("ParseValues(%q) = %v, want invalid", words, err)
		}
	}
}

// FuzzFill checks that a template either is refused as invalid or fills
// with every placeholder replaced by its value and nothing else changed
// but the escaped braces.
func FuzzFill(f *testing.F) {
	for _, seed := range []string{"Hi {name}", "{{x}} {a}{b}", "}", "{", "{ }", "Ünï {ké}", "{a}{{{b}}}", ""} {
		f.Add(seed, "Ann {x}")
	}
	f.Fuzz(func(t *testing.T, text, value string) {
		keys, err := Placeholders(text)
		if err != nil {
			if !bot.IsCode(err, bot.EInvalid) {
				t.Fatalf("Placeholders(%q) = %v, want an invalid error", text, err)
			}
			return
		}
		values := map[string]string{}
		for _, k := range keys {
			values[k] = value
		}
		got, err := Fill(text, values)
		if err != nil {
			t.Fatalf("Fill(%q) with every key = %v", text, err)
		}
		// Filling with the keys' own placeholders gives the text back,
		// escapes undone.
		for _, k := range keys {
			values[k] = "{" + k + "}"
		}
		back, _ := Fill(text, values)
		if want := unescape(text); back != want {
			t.Fatalf("refilled %q = %q, want %q", text, back, want)
		}
		if len(keys) == 0 && got != unescape(text) {
			t.Fatalf("Fill(%q) without keys = %q", text, got)
		}
	})
}

// unescape is text with its placeholders lower-cased and doubled braces
// single, what filling each placeholder with itself gives.
func unescape(text string) string {
	segs, _ := parse(text)
	var b strings.Builder
	for _, s := range segs {
		if s.key != "" {
			b.WriteString("{" + s.key + "}")
		} else {
			b.WriteString(s.text)
		}
	}
	return b.String()
}

// FuzzParseValues checks that key=value words either parse into keys that
// are placeholder names with non-empty values, or are refused as invalid.
func FuzzParseValues(f *testing.F) {
	for _, seed := range []string{"name=Ann", "a=1 b=2", "x", "=y", "a=b=c", "K=v K=w", `order="A 12"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words := bot.Tokenize(line)
		got, err := ParseValues(words)
		if err != nil {
			if !bot.IsCode(err, bot.EInvalid) {
				t.Fatalf("ParseValues(%q) = %v, want an invalid error", words, err)
			}
			return
		}
		if len(got) != len(words) {
			t.Fatalf("ParseValues(%q) = %v: a word lost", words, got)
		}
		for k, v := range got {
			if !keyPattern.MatchString(k) || strings.TrimSpace(v) == "" {
				t.Fatalf("ParseValues(%q) kept %q=%q", words, k, v)
			}
		}
	})
}
