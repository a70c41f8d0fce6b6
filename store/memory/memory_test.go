package memory_test

import (
	"testing"

	"github.com/jonboulle/clockwork"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/store/coordtest"
	"github.com/interlock-coe/interlock/store/memory"
)

func TestConformance(t *testing.T) {
	coordtest.Run(t, func(t *testing.T) (bot.Coordinator, coordtest.Wait) {
		clock := clockwork.NewFakeClock()
		return memory.New(clock), clock.Advance
	})
}
