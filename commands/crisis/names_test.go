package crisis_test

import (
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

// TestRoomNamesAndTitlesReadAsTyped opens crises whose titles hold accents
// and bidirectional controls: the room name transliterates, and neither the
// title, the topic nor the room name keeps a control that reverses text.
func TestRoomNamesAndTitlesReadAsTyped(t *testing.T) {
	tests := []struct{ title, clean, room string }{
		{"Störung im Lager", "Störung im Lager", "#crisis-20261123-stoerung-im-lager"},
		{"Ünïcödé Crème brûlée", "Ünïcödé Crème brûlée", "#crisis-20261123-uenicoede-creme-brulee"},
		{"Checkout \u202Enwod si\u202C now", "Checkout nwod si now", "#crisis-20261123-checkout-nwod-si-now"},
		{"\u2067\u200F\u2066", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			h := newHarness(t)
			r := h.Say("/crisis open sev3 " + tt.title)
			if tt.clean == "" {
				r.Fails(t, bot.EInvalid, "")
				return
			}
			r.Contains(t, "opened (sev3): "+tt.clean+" → "+tt.room)
			for _, e := range h.Chat.Events("room", "topic") {
				text := e.Channel + " " + e.Message.Text
				if strings.ContainsFunc(text, func(r rune) bool { return bot.RemoveBidiControls(string(r)) == "" }) {
					t.Errorf("%s %q keeps a bidirectional control", e.Op, text)
				}
			}
		})
	}
}
