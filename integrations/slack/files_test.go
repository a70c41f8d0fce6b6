package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// fakeFiles is the fake Slack's side of the external upload flow.
type fakeFiles struct {
	seq            int
	pending        map[string]uploadURL // file id → what getUploadURLExternal was told
	received       map[string]upload    // file id → what reached the upload URL
	shared         []sharedFile         // completed uploads, in order
	uploadLimited  int                  // the upload URL answers 429 this many times
	completeLimits int                  // files.completeUploadExternal answers 429 this many times
	refuse         map[string]string    // channel → error completeUploadExternal answers
}

type uploadURL struct {
	name   string
	length int
}

type upload struct {
	name string
	data []byte
}

// sharedFile is a file completed into a channel.
type sharedFile struct {
	channel, title, name string
	data                 []byte
}

// fileHandlers answer the upload flow's Web API methods, with f.mu held.
func (f *fakeSlack) fileHandlers() map[string]func(url.Values) (int, any) {
	return map[string]func(url.Values) (int, any){
		"files.getUploadURLExternal": func(v url.Values) (int, any) {
			length, err := strconv.Atoi(v.Get("length"))
			if v.Get("filename") == "" || err != nil || length <= 0 {
				return fail("invalid_arguments")
			}
			f.files.seq++
			id := fmt.Sprintf("F0FILE%d", f.files.seq)
			if f.files.pending == nil {
				f.files.pending = map[string]uploadURL{}
			}
			f.files.pending[id] = uploadURL{name: v.Get("filename"), length: length}
			return http.StatusOK, obj{"ok": true, "file_id": id, "upload_url": f.url() + "upload/" + id}
		},
		"files.completeUploadExternal": func(v url.Values) (int, any) {
			if f.files.completeLimits > 0 {
				f.files.completeLimits--
				return http.StatusTooManyRequests, obj{"ok": false, "error": "ratelimited"}
			}
			if code := f.files.refuse[v.Get("channel_id")]; code != "" {
				return fail(code)
			}
			var files []struct{ ID, Title string }
			if err := json.Unmarshal([]byte(v.Get("files")), &files); err != nil || len(files) == 0 {
				return fail("invalid_arguments")
			}
			var out []obj
			for _, fs := range files {
				up, ok := f.files.received[fs.ID]
				if !ok {
					return fail("file_not_found") // completed before its bytes arrived
				}
				f.files.shared = append(f.files.shared, sharedFile{channel: v.Get("channel_id"), title: fs.Title, name: up.name, data: up.data})
				out = append(out, obj{"id": fs.ID, "title": fs.Title})
			}
			return http.StatusOK, obj{"ok": true, "files": out}
		},
	}
}

// receiveUpload is the upload URL: it takes the multipart "file" field,
// checks its length against what getUploadURLExternal was told and answers
// as Slack's does, in plain text.
func (f *fakeSlack) receiveUpload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/upload/")
	file, header, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	data, err := io.ReadAll(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, apiCall{method: "upload", form: url.Values{"file_id": {id}}})
	if f.files.uploadLimited > 0 {
		f.files.uploadLimited--
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	want, ok := f.files.pending[id]
	if !ok || want.length != len(data) || want.name != header.Filename {
		http.Error(w, "unexpected upload", http.StatusBadRequest)
		return
	}
	if f.files.received == nil {
		f.files.received = map[string]upload{}
	}
	f.files.received[id] = upload{name: header.Filename, data: data}
	_, _ = fmt.Fprintf(w, "OK - %d", len(data))
}

// sharedFiles returns the files completed into channels.
func (f *fakeSlack) sharedFiles() []sharedFile {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sharedFile(nil), f.files.shared...)
}

// chart is a small file with every byte value, so that any re-encoding
// on the way would show.
func chart(name, title string) bot.File {
	data := make([]byte, 600)
	for i := range data {
		data[i] = byte(i * 7)
	}
	return bot.File{Name: name, Title: title, Data: data}
}

func TestUploadSharesBytesNameAndTitleInChannel(t *testing.T) {
	tests := []struct {
		name, channel, wantChannel string
		file                       bot.File
		wantTitle                  string
	}{
		{"by id", "C0SOCIAL", "C0SOCIAL", chart("kpi-engagement-rate.png", "Engagement rate"), "Engagement rate"},
		{"by name", "#Legal", "G0LEGAL", chart("sla.png", "SLA share"), "SLA share"},
		{"untitled", "C0SOCIAL", "C0SOCIAL", chart("trend.png", ""), "trend.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			a, _, _ := testAdapter(t, f, nil)
			if err := a.Upload(context.Background(), tt.channel, tt.file); err != nil {
				t.Fatal(err)
			}
			shared := f.sharedFiles()
			if len(shared) != 1 {
				t.Fatalf("shared %d files, want 1", len(shared))
			}
			got := shared[0]
			if got.channel != tt.wantChannel || got.name != tt.file.Name || got.title != tt.wantTitle || !bytes.Equal(got.data, tt.file.Data) {
				t.Fatalf("shared %s %q titled %q (%d bytes) in %s; want %s titled %q (%d bytes) in %s",
					got.name, got.name, got.title, len(got.data), got.channel, tt.file.Name, tt.wantTitle, len(tt.file.Data), tt.wantChannel)
			}
			if alt := f.callsTo("files.getUploadURLExternal")[0].form.Get("alt_txt"); alt != tt.wantTitle {
				t.Errorf("alt text %q, want the title %q", alt, tt.wantTitle)
			}
		})
	}
}

func TestUploadRefusals(t *testing.T) {
	f := newFakeSlack(t)
	a, _, _ := testAdapter(t, f, nil)
	if err := a.Upload(context.Background(), "#nowhere", chart("a.png", "A")); !bot.IsCode(err, bot.ENotFound) {
		t.Errorf("upload to an unknown #name: %v, want not found", err)
	}
	if err := a.Upload(context.Background(), "C0SOCIAL", bot.File{Name: "empty.png"}); err == nil {
		t.Error("an empty file was uploaded")
	}
	f.mu.Lock()
	f.files.refuse = map[string]string{"C0SOCIAL": "not_in_channel"}
	f.mu.Unlock()
	err := a.Upload(context.Background(), "C0SOCIAL", chart("a.png", "A"))
	if slackError(err) != "not_in_channel" || !strings.Contains(err.Error(), "a.png") {
		t.Errorf("refused completion: %v, want not_in_channel naming the file", err)
	}
	if n := len(f.callsTo("files.completeUploadExternal")); n != 1 {
		t.Errorf("a refusal for good was tried %d times", n)
	}
}

// TestUploadRetriesRateLimitsStepByStep: a 429 from the upload URL and
// from the completion each wait their Retry-After and repeat only their
// own step, so the file is uploaded once and shared once.
func TestUploadRetriesRateLimitsStepByStep(t *testing.T) {
	f := newFakeSlack(t)
	a, _, slept := testAdapter(t, f, nil)
	f.mu.Lock()
	f.files.uploadLimited = 1
	f.files.completeLimits = 2
	f.mu.Unlock()
	file := chart("kpi.png", "KPI")
	if err := a.Upload(context.Background(), "C0SOCIAL", file); err != nil {
		t.Fatal(err)
	}
	if shared := f.sharedFiles(); len(shared) != 1 || !bytes.Equal(shared[0].data, file.Data) {
		t.Fatalf("shared %+v, want the file once", shared)
	}
	calls := map[string]int{}
	for _, m := range []string{"files.getUploadURLExternal", "upload", "files.completeUploadExternal"} {
		calls[m] = len(f.callsTo(m))
	}
	if calls["files.getUploadURLExternal"] != 1 || calls["upload"] != 2 || calls["files.completeUploadExternal"] != 3 {
		t.Errorf("calls %v, want 1 upload URL, 2 uploads (one 429), 3 completions (two 429s)", calls)
	}
	want := []time.Duration{2 * time.Second, time.Second, time.Second}
	if got := slept.waits(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waited %v, want the Retry-After of each 429: %v", got, want)
	}
}
