package request_test

import (
	"testing"
	"time"

	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/request"
	"github.com/interlock-coe/interlock/commands/role"
)

// TestRequestKPIs checks the on-time delivery share and the backlog by
// service: of three listening reports, one is delivered on time, one late
// and one is still open; a cancelled one does not count.
func TestRequestKPIs(t *testing.T) {
	commandstest.EachStore(t, func(t *testing.T, st commandstest.Option) {
		h := commandstest.New(t, []commandstest.Register{role.Register, request.Register, kpi.Register}, st)
		h.Say("/role assign analytics @sam")
		for range 3 {
			h.Say("@priya " + report)
		}
		h.Say("@priya /request new-social-account Outlet --network tiktok --owner @sam --purpose sales")
		h.Say("@priya /request cancel 4 not needed")
		h.Say("@sam /request done 1")
		h.Advance(5 * 24 * time.Hour)
		h.Say("@sam /request done 2")
		h.Say("/kpi requests-on-time --period 7d").Contains(t, "Latest (2026-11-22 – 2026-11-28): 50%", "from service requests")
		h.Say("/kpi requests-backlog --period 7d").Contains(t, "Open service requests", "Latest (2026-11-22 – 2026-11-28): 1\n")
		h.Say("/kpi listening-report-backlog --period 7d").Contains(t, "Latest (2026-11-22 – 2026-11-28): 1\n", "sum of backlog_listening-report")
	})
}
