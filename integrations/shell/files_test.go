package shell

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interlock-coe/interlock/bot"
)

func TestUploadWritesIntoDataDirAndPrintsPath(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	c, err := NewChat(&out, nil, filepath.Join(dir, "shell-rooms.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"chart.png", "../../escape.png"} {
		if err := c.Upload(context.Background(), "#exec", bot.File{Name: name, Title: "Chart", Data: []byte("png")}); err != nil {
			t.Fatal(err)
		}
		want := filepath.Join(dir, "files", filepath.Base(name))
		if b, err := os.ReadFile(want); err != nil || string(b) != "png" {
			t.Fatalf("file %s: %q, %v", want, b, err)
		}
		if !strings.Contains(out.String(), "📎 Chart: "+want) {
			t.Fatalf("output lacks the path %s:\n%s", want, out.String())
		}
	}
}

func TestPrivateReplyFilesArePrintedToSpeaker(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	c, err := NewChat(&out, nil, filepath.Join(dir, "shell-rooms.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDispatcher{reply: func(bot.Request) []bot.Reply {
		return []bot.Reply{{Message: bot.Message{Text: "preview"}, Private: true, Files: []bot.File{{Name: "kpi.png", Data: []byte("x")}}}}
	}}
	s := New(Options{Chat: c, Dispatcher: d, Clock: fixedClock()})
	if _, err := s.Line(context.Background(), "@alex /digest preview exec"); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "files", "kpi.png")
	if !strings.Contains(out.String(), "(only @alex) › 📎 kpi.png: "+want) {
		t.Fatalf("output:\n%s", out.String())
	}
}
