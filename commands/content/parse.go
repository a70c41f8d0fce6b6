package content

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/interlock-coe/interlock/bot"
)

// submission is what /content submit was given.
type submission struct {
	Title       string
	Link        string
	Brand       string
	Channel     string
	Sensitivity string
	PublishAt   string // as typed; see parsePublishAt
	FastTrack   bool
	Reason      string // why it is fast-tracked
}

// clockWord is an "HH:MM" typed after a date ("--publish-at 2026-11-25 10:00").
var clockWord = regexp.MustCompile(`^\d{1,2}:\d{2}$`)

// parseSubmit reads the words after "/content submit". The router's parse
// takes one word per option; --fast-track takes every word up to the next
// option, so the reason is read here from the tokens as typed.
func parseSubmit(tokens []string) (submission, error) {
	var (
		s     submission
		title []string
	)
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if !isOption(t) {
			title = append(title, t)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(t, "--"), "=")
		name = strings.ToLower(name)
		if name == "fast-track" {
			s.FastTrack = true
			reason := []string{}
			if hasValue && value != "" {
				reason = append(reason, value)
			}
			for i+1 < len(tokens) && !isOption(tokens[i+1]) {
				i++
				reason = append(reason, tokens[i])
			}
			s.Reason = strings.Join(reason, " ")
			continue
		}
		if !hasValue {
			if i+1 >= len(tokens) || isOption(tokens[i+1]) {
				return s, bot.Errorf(bot.EInvalid, "--%s needs a value", name)
			}
			i++
			value = tokens[i]
		}
		switch name {
		case "link":
			s.Link = value
		case "brand":
			s.Brand = value
		case "channel":
			s.Channel = value
		case "sensitivity":
			s.Sensitivity = strings.ToLower(value)
		case "publish-at":
			if i+1 < len(tokens) && clockWord.MatchString(tokens[i+1]) {
				i++
				value += " " + tokens[i]
			}
			s.PublishAt = value
		default:
			return s, bot.Errorf(bot.EInvalid, "unknown option --%s", name)
		}
	}
	s.Title = strings.TrimSpace(strings.Join(title, " "))
	switch {
	case s.Title == "":
		return s, bot.Errorf(bot.EInvalid, "what is the content's title?")
	case s.Link == "":
		return s, bot.Errorf(bot.EInvalid, "--link is required: where can the approvers see the content?")
	case s.FastTrack && strings.TrimSpace(s.Reason) == "":
		return s, bot.Errorf(bot.EInvalid, "--fast-track needs a reason")
	}
	return s, nil
}

func isOption(t string) bool {
	return len(t) > 2 && strings.HasPrefix(t, "--") && unicode.IsLetter(rune(t[2]))
}

// publishLayouts are the date-times --publish-at accepts, in the org's zone
// unless they carry their own offset.
var publishLayouts = []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"}

// parsePublishAt reads --publish-at: RFC 3339, "2026-11-25T10:00" or
// "2026-11-25 10:00" in loc, or "+6h" / "+2d" from now. It must be in the
// future.
func parsePublishAt(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	bad := bot.Errorf(bot.EInvalid, "--publish-at %q is not a time (like 2026-11-25T10:00 or +6h)", s)
	var at time.Time
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		d, err := bot.ParseDuration(rest)
		if err != nil {
			return at, bad
		}
		return now.Add(d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		at = t
	} else {
		for _, layout := range publishLayouts {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				at = t
				break
			}
		}
	}
	switch {
	case at.IsZero():
		return at, bad
	case !at.After(now):
		return at, bot.Errorf(bot.EInvalid, "--publish-at %s is in the past", at.In(loc).Format("2006-01-02 15:04"))
	case at.Sub(now) > 10*365*24*time.Hour:
		return at, bot.Errorf(bot.EInvalid, "--publish-at %s is more than ten years away", at.In(loc).Format("2006-01-02"))
	}
	return at, nil
}

// submitTokens returns the typed words after "submit".
func submitTokens(text string) []string {
	tokens := bot.Tokenize(text)
	for i, t := range tokens {
		if strings.EqualFold(t, "submit") {
			return tokens[i+1:]
		}
	}
	return nil
}
