package discord

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/bottest"
	"github.com/interlock-coe/interlock/commands/commandstest"
	"github.com/interlock-coe/interlock/commands/digest"
	"github.com/interlock-coe/interlock/commands/kpi"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/integrations/discord/discordtest"
)

// newDiscordCharts is /kpi and /digest with the Discord adapter as their
// chat, against the local Discord, with 60 days of KPI data.
func newDiscordCharts(t *testing.T) *harness {
	t.Helper()
	yaml := crewConfig(t)
	cfg, err := config.Parse([]byte(yaml), "crew.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, srv: discordtest.NewServer(t), signer: discordtest.NewSigner(), clock: fixedClock{now: commandstest.Start}}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	build := func(r *bot.Router) bot.Chat {
		a, err := New(Options{
			BotToken: "test-token", AppID: discordtest.AppID, PublicKey: h.signer.PublicKeyHex(),
			GuildID: discordtest.GuildID, APIURL: h.srv.URL, Directory: cfg, Dispatcher: r,
			Logger: log, Clock: h.clock, DeferAfter: time.Hour, Buttons: bottest.NewButtons(),
		})
		if err != nil {
			t.Fatal(err)
		}
		h.a, h.router = a, r
		return a
	}
	cmd := commandstest.New(t, []commandstest.Register{kpi.Register, digest.RegisterDefault},
		commandstest.WithConfig(yaml), commandstest.WithChat(build))
	if _, err := kpi.ImportCSV(t.Context(), kpi.New(cmd.Deps), cmd.Deps.Config, cmd.Clock.Now(),
		strings.NewReader(engagementCSV(cmd.Clock.Now(), 60))); err != nil {
		t.Fatal(err)
	}
	h.mux = http.NewServeMux()
	h.a.Routes(h.mux)
	h.social = h.srv.AddChannel("social")
	t.Cleanup(h.wait)
	return h
}

// engagementCSV is days of daily engagement data for acme, ending today.
func engagementCSV(today time.Time, days int) string {
	var b strings.Builder
	b.WriteString(kpi.CSVHeader + "\n")
	for age := range days {
		date := today.AddDate(0, 0, -age).Format(time.DateOnly)
		fmt.Fprintf(&b, "%s,%s,acme,instagram,engagement-rate,,%d,10000\n", date, date, 200+(age*37)%300)
	}
	return b.String()
}

// TestDiscordKPIChartEndToEnd: "/kpi engagement-rate --chart" over HTTP
// is answered privately with its detail and the chart attached.
func TestDiscordKPIChartEndToEnd(t *testing.T) {
	h := newDiscordCharts(t)
	id := "720000000000000001"
	kind, msg := h.answer(h.post(discordtest.Command(id, h.social, crewIDs["sam"], "kpi",
		discordtest.String("metric", "engagement-rate"), discordtest.Boolean("chart", true))))
	if kind != discordgo.InteractionResponseDeferredChannelMessageWithSource || msg.Flags != discordgo.MessageFlagsEphemeral {
		t.Fatalf("HTTP answer = type %d flags %d, want a private deferral", kind, msg.Flags)
	}
	calls := h.waitCalls(id, 1)
	h.wait()
	c := calls[0]
	if c.Kind != "edit" || c.Upload == nil || len(c.Upload.Files) != 1 || len(c.Message.Embeds) == 0 ||
		!strings.Contains(strings.ToLower(c.Message.Embeds[0].Title), "engagement") {
		t.Fatalf("answer = %s %+v", c.Kind, c.Message)
	}
	f := c.Upload.Files[0]
	if f.Name != "kpi-engagement-rate.png" || f.ContentType != "image/png" {
		t.Errorf("file = %q %s", f.Name, f.ContentType)
	}
	checkChart(t, f.Data, kpi.ChartWidth, kpi.ChartHeight)
}

// TestDiscordDigestPreviewOverGateway: a gateway interaction's answer
// carries every chart of the preview, ephemeral.
func TestDiscordDigestPreviewOverGateway(t *testing.T) {
	h := newDiscordCharts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.a.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.WaitGateway(ctx); err != nil {
		t.Fatal(err)
	}
	id := "720000000000000002"
	if err := h.srv.SendInteraction(discordtest.Command(id, h.social, crewIDs["alex"], "digest",
		discordtest.Sub("preview", discordtest.String("name", "exec")))); err != nil {
		t.Fatal(err)
	}
	c := h.waitCalls(id, 1)[0]
	if c.Kind != "callback" || c.Message.Flags != discordgo.MessageFlagsEphemeral || c.Upload == nil || len(c.Upload.Files) == 0 {
		t.Fatalf("callback = %s flags %d upload %v", c.Kind, c.Message.Flags, c.Upload != nil)
	}
	if len(c.Message.Attachments) != len(c.Upload.Files) {
		t.Errorf("%d attachments for %d files", len(c.Message.Attachments), len(c.Upload.Files))
	}
	t.Logf("%d files in the preview", len(c.Upload.Files))
	for i, f := range c.Upload.Files {
		if f.Field != fmt.Sprintf("files[%d]", i) || !strings.HasSuffix(f.Name, ".png") {
			t.Errorf("part %d = %s %q", i, f.Field, f.Name)
		}
		checkChart(t, f.Data, digest.ChartWidth, digest.ChartHeight)
	}
	if err := h.a.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestDiscordDigestSendUploadsCharts: "/digest send exec" posts the digest
// to #exec-digest and each chart as a message of its own (bot.Uploader).
func TestDiscordDigestSendUploadsCharts(t *testing.T) {
	h := newDiscordCharts(t)
	channel := h.srv.AddChannel("exec-digest")
	id := "720000000000000003"
	_, msg := h.answer(h.post(discordtest.Command(id, h.social, crewIDs["alex"], "digest",
		discordtest.Sub("send", discordtest.String("name", "exec")))))
	h.wait()
	if !strings.Contains(messageText(msg), "Posted the exec digest to #exec-digest") {
		t.Fatalf("answer = %q", messageText(msg))
	}
	posts := h.srv.Messages(channel)
	if len(posts) < 2 || len(posts[0].Attachments) != 0 {
		t.Fatalf("#exec-digest has %d messages, want the digest then its charts", len(posts))
	}
	t.Logf("%d chart messages", len(posts)-1)
	for _, p := range posts[1:] {
		up, ok := h.srv.MessageUpload(p.ID)
		if !ok || len(up.Files) != 1 || len(p.Attachments) != 1 || p.Content == "" {
			t.Fatalf("chart message = %+v", p)
		}
		checkChart(t, up.Files[0].Data, digest.ChartWidth, digest.ChartHeight)
	}
}

// checkChart decodes a PNG and checks its size.
func checkChart(t *testing.T, data []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Size(); got != (image.Point{w, h}) {
		t.Errorf("chart size = %v, want %dx%d", got, w, h)
	}
}
