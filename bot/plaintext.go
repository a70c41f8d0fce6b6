package bot

import "strings"

// PlainText renders a message as plain text: the title, the text, one line
// per field, the buttons with the commands they stand for, and the footer.
// The shell prints it; platforms use it as the notification fallback.
func PlainText(m Message) string {
	var lines []string
	if m.Title != "" {
		lines = append(lines, "*"+m.Title+"*")
	}
	if m.Text != "" {
		lines = append(lines, m.Text)
	}
	for _, f := range m.Fields {
		lines = append(lines, "  "+f.Title+": "+f.Value)
	}
	if len(m.Buttons) > 0 {
		var b strings.Builder
		for i, btn := range m.Buttons {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString("[" + btn.Label + " → " + btn.Typed() + "]")
		}
		lines = append(lines, "  "+b.String())
	}
	if m.Footer != "" {
		lines = append(lines, "  — "+m.Footer)
	}
	return strings.Join(lines, "\n")
}
