package slack

import "strings"

// resolver names the Slack ids found in message text.
type resolver interface {
	// userHandle returns the person handle of a Slack user id.
	userHandle(id string) string
	// channelName returns a channel's name without "#", or "" if unknown.
	channelName(id string) string
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// normalize turns Slack's message markup into the text people typed:
// "<@U123|name>" becomes "@handle", "<#C123|name>" becomes "#name",
// "<https://x|label>" becomes the URL, and &amp; &lt; &gt; are unescaped.
// Slack escapes literal angle brackets, so every "<" opens a token.
func normalize(text string, r resolver) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(text, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(text[open:], '>')
		if end < 0 {
			break
		}
		b.WriteString(unescaper.Replace(text[:open]))
		b.WriteString(renderToken(text[open+1:open+end], r))
		text = text[open+end+1:]
	}
	b.WriteString(unescaper.Replace(text))
	return b.String()
}

// renderToken renders the inside of one <…> token.
func renderToken(token string, r resolver) string {
	body, label, _ := strings.Cut(token, "|")
	label = unescaper.Replace(label)
	switch {
	case strings.HasPrefix(body, "@"):
		if h := r.userHandle(body[1:]); h != "" {
			return "@" + h
		}
		return "@" + firstNonEmpty(strings.TrimPrefix(label, "@"), body[1:])
	case strings.HasPrefix(body, "#"):
		if label != "" {
			return "#" + label
		}
		return "#" + firstNonEmpty(r.channelName(body[1:]), body[1:])
	case strings.HasPrefix(body, "!"):
		return renderSpecial(body[1:], label)
	case strings.HasPrefix(body, "mailto:"):
		return unescaper.Replace(strings.TrimPrefix(body, "mailto:"))
	default:
		return unescaper.Replace(body)
	}
}

// renderSpecial renders <!here>, <!channel>, <!subteam^S1|@team>,
// <!date^…|fallback> and the like.
func renderSpecial(body, label string) string {
	if label != "" {
		return label
	}
	name, _, _ := strings.Cut(body, "^")
	return "@" + name
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
