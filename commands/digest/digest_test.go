package digest_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/commands"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/crisis"
	"github.com/interlock-coe/interlock/commands/digest"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/commands/route"
)

func features() []commandstest.Register {
	return []commandstest.Register{
		func(r *bot.Router, d commands.Deps) { crisis.Register(r, d, d.Store) },
		func(r *bot.Router, d commands.Deps) { route.Register(r, d, nil) },
		kpi.Register,
		digest.RegisterDefault,
	}
}

// yearCSV is a year of daily engagement, sentiment and mention data for
// every brand, ending today.
func yearCSV(today time.Time, loc *time.Location) string {
	rng := rand.New(rand.NewPCG(15, 365))
	y, m, d := today.In(loc).Date()
	var b strings.Builder
	b.WriteString(kpi.CSVHeader + "\n")
	for age := range 365 {
		date := time.Date(y, m, d-age, 0, 0, 0, 0, loc).Format(time.DateOnly)
		for _, brand := range []string{"acme", "globex", "umbrella"} {
			fmt.Fprintf(&b, "%s,%s,%s,instagram,engagement-rate,,%d,%d\n", date, date, brand, 100+rng.IntN(400), 10000)
			fmt.Fprintf(&b, "%s,%s,%s,instagram,net-sentiment,,%d,%d\n", date, date, brand, rng.IntN(60), 200)
			fmt.Fprintf(&b, "%s,%s,%s,instagram,mention-volume,%d,,\n", date, date, brand, 100+rng.IntN(900))
		}
	}
	return b.String()
}

// seeded is a harness with a year of KPI points, three crises (one
// confidential) and routed issues, some answered.
func seeded(t *testing.T, opts ...commandstest.Option) *commandstest.Harness {
	t.Helper()
	h := commandstest.New(t, features(), opts...)
	cfg := h.Deps.Config
	if _, err := kpi.ImportCSV(t.Context(), kpi.New(h.Deps), cfg, h.Clock.Now(), strings.NewReader(yearCSV(h.Clock.Now(), cfg.Org.Location))); err != nil {
		t.Fatal(err)
	}
	h.Say("/crisis open sev2 Checkout outage --brand acme").Contains(t, "opened")
	h.Advance(3 * time.Hour)
	h.Say("/crisis open sev3 Angry thread").Contains(t, "opened")
	h.Say("/crisis open sev2 Product recall draft --confidential").Contains(t, "opened")
	for i, dep := range []string{"customer-care", "customer-care", "sales"} {
		h.Say(fmt.Sprintf("/route %s Customer question %d", dep, i)).Contains(t, "#")
	}
	h.Advance(5 * time.Minute)
	h.Say("@alex /route answer 1 Sorted, thanks").Contains(t, "#1")
	h.Say("@alex /route answer 3 Quote sent").Contains(t, "#3")
	h.Advance(time.Hour)
	return h
}

// latest is the "Latest" value /kpi shows for metric over period.
func latest(t *testing.T, h *commandstest.Harness, metric, period string) string {
	t.Helper()
	r := h.Say("/kpi " + metric + " --period " + period)
	if r.Err != nil || len(r.Replies) == 0 {
		t.Fatalf("/kpi %s: %v", metric, r.Err)
	}
	for _, f := range r.Replies[0].Fields {
		if strings.HasPrefix(f.Title, "Latest") {
			return f.Value
		}
	}
	t.Fatalf("/kpi %s shows no latest value: %s", metric, r.Text())
	return ""
}

// TestExecPreviewNumbersMatchKPI is the done-when check: the exec
// digest's narrative quotes exactly what /kpi shows for its period, and
// each chart is a real picture of the configured size.
func TestExecPreviewNumbersMatchKPI(t *testing.T) {
	h := seeded(t)
	r := h.Say("@alex /digest preview exec")
	if r.Err != nil || len(r.Replies) != 1 {
		t.Fatalf("preview: %v %v", r.Err, r.Text())
	}
	rep := r.Replies[0]
	if !rep.Private {
		t.Fatal("preview was not private")
	}
	text := rep.Text
	t.Log(text)
	for _, metric := range []string{"engagement-rate", "net-sentiment", "time-to-assemble"} {
		want := latest(t, h, metric, "30d")
		if want == "no data" {
			t.Fatalf("%s has no data", metric)
		}
		if !strings.Contains(text, " "+want) {
			t.Errorf("narrative lacks /kpi %s value %q:\n%s", metric, want, text)
		}
	}
	if got := latest(t, h, "crisis-count", "30d"); !strings.HasPrefix(text[strings.Index(text, "crises")-len(got)-1:], got+" crises (2 sev2, 1 sev3)") {
		t.Errorf("narrative's crisis count differs from /kpi crisis-count %s:\n%s", got, text)
	}
	body := bot.PlainText(rep.Message)
	if strings.Contains(body, "Product recall") || !strings.Contains(body, "(confidential)") {
		t.Errorf("a confidential crisis's title leaked or is missing:\n%s", body)
	}
	if !strings.Contains(body, "Checkout outage") {
		t.Errorf("a non-confidential crisis's title is missing:\n%s", body)
	}
	names := map[string]bool{}
	for _, f := range rep.Files {
		names[f.Name] = true
		checkPNG(t, f, digest.ChartWidth, digest.ChartHeight)
	}
	for _, want := range []string{"kpi-engagement-rate.png", "kpi-net-sentiment.png", "crises.png"} {
		if !names[want] {
			t.Errorf("preview lacks chart %s; has %v", want, names)
		}
	}
	if len(h.Chat.Posts("#exec-digest")) != 0 || len(h.Chat.Events("upload")) != 0 {
		t.Error("a preview posted to a channel")
	}
}

func TestCareDigestShowsSLAByDepartment(t *testing.T) {
	h := seeded(t)
	r := h.Say("@alex /digest preview care")
	body := r.Text()
	for _, want := range []string{"Customer Care: Answered within SLA 100%", "backlog 2 open"} {
		if !strings.Contains(body, want) {
			t.Errorf("care digest lacks %q:\n%s", want, body)
		}
	}
	if len(r.Replies) == 0 || len(r.Replies[0].Files) == 0 || r.Replies[0].Files[0].Name != "sla-by-department.png" {
		t.Fatalf("care digest has no SLA chart")
	}
	checkPNG(t, r.Replies[0].Files[0], digest.ChartWidth, digest.ChartHeight)
}

func TestKPIChartSwitchAttachesPNG(t *testing.T) {
	h := seeded(t)
	r := h.Say("/kpi engagement-rate --chart")
	if r.Err != nil || len(r.Replies) != 1 || len(r.Replies[0].Files) != 1 {
		t.Fatalf("/kpi --chart: %v, %d replies", r.Err, len(r.Replies))
	}
	checkPNG(t, r.Replies[0].Files[0], kpi.ChartWidth, kpi.ChartHeight)
}

func TestSendNeedsPermissionAndPosts(t *testing.T) {
	h := seeded(t)
	h.Say("@sam /digest send exec").Fails(t, bot.EForbidden, "")
	h.Say("@alex /digest send exec").Contains(t, "Posted the exec digest to #exec-digest")
	if posts := h.Chat.Posts("#exec-digest"); len(posts) != 1 {
		t.Fatalf("posts = %d", len(posts))
	}
	if ups := h.Chat.Events("upload"); len(ups) < 3 {
		t.Fatalf("uploads = %d", len(ups))
	}
	h.Say("/digest preview nope").Fails(t, bot.EInvalid, "unknown digest")
	h.Say("/digest list").Contains(t, "exec", "monthly, first Mon 09:00 Europe/Berlin", "care", "coe")
}

func checkPNG(t *testing.T, f bot.File, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	if got := img.Bounds().Size(); got != (image.Point{w, h}) {
		t.Fatalf("%s size = %v", f.Name, got)
	}
	seen := map[[4]uint32]bool{}
	for y := 0; y < h; y += 3 {
		for x := 0; x < w; x += 3 {
			r, g, b, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, b, a}] = true
		}
	}
	if len(seen) < 4 {
		t.Fatalf("%s looks blank (%d colours)", f.Name, len(seen))
	}
}
