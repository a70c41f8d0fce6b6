package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot"
)

// start is where the test clock begins: Mon 23 Nov 2026, 13:46 UTC.
var start = time.Date(2026, 11, 23, 13, 46, 0, 0, time.UTC)

// fixedClock returns a shell clock that stands at start until :advance
// moves it.
func fixedClock() *Clock { return &Clock{now: func() time.Time { return start }} }

// fakeDispatcher records the requests it gets and answers each with what
// reply returns (nothing when reply is nil).
type fakeDispatcher struct {
	mu    sync.Mutex
	reqs  []bot.Request
	reply func(req bot.Request) []bot.Reply
}

func (d *fakeDispatcher) Handle(ctx context.Context, req bot.Request, resp bot.Responder) error {
	d.mu.Lock()
	d.reqs = append(d.reqs, req)
	d.mu.Unlock()
	if d.reply == nil {
		return nil
	}
	for _, r := range d.reply(req) {
		if err := resp.Respond(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (d *fakeDispatcher) requests() []bot.Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.reqs)
}

// fakeTimers is a durable-timer store and scheduler in one: a timer fires
// when FireDue runs at or after its due time, and its action may schedule
// more timers, as a re-arming check-in does.
type fakeTimers struct {
	clock   *Clock
	pending []*fakeTimer
	fired   []string // "name@offset from start"
}

type fakeTimer struct {
	name   string
	due    time.Time
	action func()
}

func (f *fakeTimers) at(name string, after time.Duration, action func()) {
	f.pending = append(f.pending, &fakeTimer{name: name, due: start.Add(after), action: action})
}

func (f *fakeTimers) NextTimerDue(context.Context) (time.Time, bool, error) {
	if len(f.pending) == 0 {
		return time.Time{}, false, nil
	}
	next := f.pending[0].due
	for _, t := range f.pending[1:] {
		if t.due.Before(next) {
			next = t.due
		}
	}
	return next, true, nil
}

func (f *fakeTimers) FireDue(context.Context) (int, error) {
	now := f.clock.Now()
	n := 0
	for {
		i := slices.IndexFunc(f.pending, func(t *fakeTimer) bool { return !t.due.After(now) })
		if i < 0 {
			return n, nil
		}
		t := f.pending[i]
		f.pending = slices.Delete(f.pending, i, i+1)
		f.fired = append(f.fired, fmt.Sprintf("%s@%s", t.name, now.Sub(start)))
		if t.action != nil {
			t.action()
		}
		n++
	}
}

// testShell is a shell over a fresh workspace whose output is out.
type testShell struct {
	*Shell
	out    *bytes.Buffer
	disp   *fakeDispatcher
	timers *fakeTimers
}

func newTestShell(t *testing.T, interactive bool) *testShell {
	t.Helper()
	out := &bytes.Buffer{}
	chat, err := NewChat(out, map[string]string{"alex": "Alex Lead", "dana": "Dana Kim"}, "")
	if err != nil {
		t.Fatal(err)
	}
	clock := fixedClock()
	ts := &testShell{out: out, disp: &fakeDispatcher{}, timers: &fakeTimers{clock: clock}}
	ts.Shell = New(Options{
		Chat: chat, Dispatcher: ts.disp, Timers: ts.timers, Clock: clock,
		User: "alex", Interactive: interactive,
	})
	return ts
}

// line runs one input line and fails the test on an error.
func (ts *testShell) line(t *testing.T, line string) {
	t.Helper()
	if quit, err := ts.Line(context.Background(), line); err != nil || quit {
		t.Fatalf("%q: quit %v, err %v", line, quit, err)
	}
}

func TestPrefixesSetSpeakerAndChannelForOneLine(t *testing.T) {
	ts := newTestShell(t, false)
	if _, err := ts.Chat.CreateRoom(context.Background(), bot.RoomSpec{Name: "crisis-20261123-checkout-outage", Private: true}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ops", "ops-eu", "ops-us"} {
		if _, err := ts.Chat.CreateRoom(context.Background(), bot.RoomSpec{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		line, user, channel, text string
	}{
		{"/role list", "alex", "#general", "/role list"},
		{"@dana /role list", "dana", "#general", "/role list"},
		{"#ops /decision ship it", "alex", "#ops", "/decision ship it"},
		{"#ops @dana /decision ship it", "dana", "#ops", "/decision ship it"},
		{"@dana #ops /decision ship it", "dana", "#ops", "/decision ship it"},
		{"@Dana /kpi", "dana", "#general", "/kpi"},
		{"#crisis-2 @lee /crisis status ok", "lee", "#crisis-20261123-checkout-outage", "/crisis status ok"},
		{"#ops-e /kpi", "alex", "#ops-eu", "/kpi"}, // a unique prefix; one that two rooms share is refused (TestAmbiguousChannelPrefixIsRefused)
		{"@not!a-handle /kpi", "alex", "#general", "@not!a-handle /kpi"},
		{"   /kpi   ", "alex", "#general", "/kpi"},
		{"@dana\t#ops\t/kpi", "dana", "#ops", "/kpi"},
		{"@Ipek /kpi", "ipek", "#general", "/kpi"},
	}
	for _, tc := range cases {
		ts.line(t, tc.line)
		reqs := ts.disp.requests()
		got := reqs[len(reqs)-1]
		if got.User != tc.user || got.Channel != tc.channel || got.Text != tc.text || got.Platform != "shell" {
			t.Errorf("%q ran as %s in %s: %q; want %s in %s: %q", tc.line, got.User, got.Channel, got.Text, tc.user, tc.channel, tc.text)
		}
		if !got.Time.Equal(start) {
			t.Errorf("%q: request time %v, want the shell clock's %v", tc.line, got.Time, start)
		}
	}
	// The prefixes last one line: the speaker and channel are back.
	if ts.User != "alex" || ts.Channel != "#general" {
		t.Fatalf("after prefixed lines the shell is %s in %s", ts.User, ts.Channel)
	}
	ids := map[string]bool{}
	for _, r := range ts.disp.requests() {
		if ids[r.ID] {
			t.Fatalf("two requests share the id %q", r.ID)
		}
		ids[r.ID] = true
	}
}

func TestLinesAreEchoedAndRepliesMarked(t *testing.T) {
	ts := newTestShell(t, false)
	ts.disp.reply = func(req bot.Request) []bot.Reply {
		return []bot.Reply{
			{Message: bot.Message{Text: "for everyone"}},
			{Message: bot.Message{Text: "for you\nsecond line"}, Private: true},
		}
	}
	ts.line(t, "@dana #ops /role assign comms @sam, please")
	ts.line(t, "// a comment is skipped")
	ts.line(t, "")
	want := strings.Join([]string{
		"+ @sam joined the workspace",
		"#ops @dana › /role assign comms @sam, please",
		"#ops interlock › for everyone",
		"#ops interlock (only @dana) › for you",
		"    second line",
	}, "\n") + "\n"
	if got := ts.out.String(); got != want {
		t.Fatalf("output\n%s\nwant\n%s", got, want)
	}
	if n := len(ts.disp.requests()); n != 1 {
		t.Fatalf("%d requests; comments and blank lines are not commands", n)
	}
	if !ts.Chat.Known("sam") || ts.Chat.Known("please") {
		t.Fatal("a person named in a line should join the workspace, and only they")
	}
}

func TestInteractiveShellDoesNotEcho(t *testing.T) {
	ts := newTestShell(t, true)
	ts.line(t, "/kpi")
	if got := ts.out.String(); got != "" {
		t.Fatalf("interactive shell printed %q", got)
	}
}

func TestMetaCommands(t *testing.T) {
	ts := newTestShell(t, false)
	ctx := context.Background()
	cases := []struct {
		line    string
		wantErr string
		check   func() bool
	}{
		{":as @dana", "", func() bool { return ts.User == "dana" }},
		{":as Sam", "", func() bool { return ts.User == "sam" && ts.Chat.Known("sam") }},
		{":as", "usage: :as <user>", func() bool { return ts.User == "sam" }},
		{":as @bad!name", "usage: :as <user>", func() bool { return ts.User == "sam" }},
		{":in ops", "", func() bool { return ts.Channel == "#ops" }},
		{":in #legal", "", func() bool { return ts.Channel == "#legal" }},
		{":in", "usage: :in <#channel>", func() bool { return ts.Channel == "#legal" }},
		{":advance", "usage: :advance <duration>", nil},
		{":advance soon", "usage: :advance <duration>", nil},
		{":advance -5m", "usage: :advance <duration>", nil},
		{":nope", "unknown meta-command :nope", nil},
		{":rooms", "", nil},
		{":users", "", nil},
		{":help", "", nil},
	}
	for _, tc := range cases {
		quit, err := ts.Line(ctx, tc.line)
		switch {
		case quit:
			t.Errorf("%q quit the shell", tc.line)
		case tc.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tc.line, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: err %v, want %q", tc.line, err, tc.wantErr)
		case tc.check != nil && !tc.check():
			t.Errorf("%q: the shell is %s in %s", tc.line, ts.User, ts.Channel)
		}
	}
	if n := len(ts.disp.requests()); n != 0 {
		t.Fatalf("meta-commands reached the dispatcher %d times", n)
	}
	out := ts.out.String()
	for _, want := range []string{
		"now speaking as @dana", "+ @sam joined the workspace", "now in #ops",
		"no rooms yet", "@dana       Dana Kim", "@sam        (joined in the shell)",
		":advance <duration> move the clock forward",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, q := range []string{":quit", ":q", ":exit"} {
		if quit, err := ts.Line(ctx, q); !quit || err != nil {
			t.Errorf("%s: quit %v, err %v", q, quit, err)
		}
	}
}

func TestAdvanceFiresEachTimerAtItsOwnTime(t *testing.T) {
	ts := newTestShell(t, false)
	// A check-in every 10 minutes that re-arms itself, a reminder at 25m
	// and a sync beyond the advance.
	var checkIn func()
	checkIn = func() { ts.timers.at("checkin", ts.Clock.Now().Sub(start)+10*time.Minute, checkIn) }
	ts.timers.at("checkin", 10*time.Minute, checkIn)
	ts.timers.at("reminder", 25*time.Minute, nil)
	ts.timers.at("sync", 2*time.Hour, nil)
	ts.timers.at("overdue", -time.Minute, nil)

	ts.line(t, ":advance 31m")

	want := []string{"overdue@0s", "checkin@10m0s", "checkin@20m0s", "reminder@25m0s", "checkin@30m0s"}
	if !slices.Equal(ts.timers.fired, want) {
		t.Fatalf("fired %v, want %v", ts.timers.fired, want)
	}
	if got := ts.Clock.Now(); !got.Equal(start.Add(31 * time.Minute)) {
		t.Fatalf("clock at %v, want start+31m", got)
	}
	if next, _, _ := ts.timers.NextTimerDue(context.Background()); !next.Equal(start.Add(40 * time.Minute)) {
		t.Fatalf("next timer due %v, want the re-armed check-in at start+40m", next)
	}
	if !strings.Contains(ts.out.String(), "⏩ now Mon 2026-11-23 14:17 UTC") {
		t.Fatalf("output lacks the new time:\n%s", ts.out.String())
	}

	// Advancing exactly onto a due time fires it.
	ts.line(t, ":advance 9m")
	if last := ts.timers.fired[len(ts.timers.fired)-1]; last != "checkin@40m0s" {
		t.Fatalf("last fired %q, want the check-in at 40m", last)
	}
}

// failingTimers fails every call, as a store that is down does.
type failingTimers struct{}

func (failingTimers) FireDue(context.Context) (int, error) { return 0, errors.New("store down") }
func (failingTimers) NextTimerDue(context.Context) (time.Time, bool, error) {
	return time.Time{}, false, errors.New("store down")
}

func TestAdvanceReportsTimerFailures(t *testing.T) {
	ts := newTestShell(t, false)
	ts.Timers = failingTimers{}
	if _, err := ts.Line(context.Background(), ":advance 1h"); err == nil || !strings.Contains(err.Error(), "store down") {
		t.Fatalf("err %v, want the store's failure", err)
	}
}

// TestRunFinishesPendingWork is the regression test for piped input: the
// shell reads to the end, fires what fell due meanwhile and returns nil
// even when lines failed.
func TestRunFinishesPendingWork(t *testing.T) {
	ts := newTestShell(t, false)
	ts.timers.at("due-now", 0, nil)
	ts.timers.at("later", time.Hour, nil)
	err := ts.Run(context.Background(), strings.NewReader("/kpi\n:nope\n@dana /role list"))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := ts.disp.requests(); len(got) != 2 || got[1].User != "dana" {
		t.Fatalf("requests %+v; the last line has no newline and must run too", got)
	}
	if !slices.Equal(ts.timers.fired, []string{"due-now@0s"}) {
		t.Fatalf("fired %v, want the timer due by the end of input", ts.timers.fired)
	}
	if !strings.Contains(ts.out.String(), "! unknown meta-command :nope") {
		t.Fatalf("output lacks the failed line's error:\n%s", ts.out.String())
	}
}

func TestRunStopsAtQuit(t *testing.T) {
	ts := newTestShell(t, false)
	if err := ts.Run(context.Background(), strings.NewReader("/kpi\n:quit\n/role list\n")); err != nil {
		t.Fatal(err)
	}
	if got := ts.disp.requests(); len(got) != 1 {
		t.Fatalf("%d requests; lines after :quit must not run", len(got))
	}
}

func TestRoomsInvitationsAndDirectMessagesArePrinted(t *testing.T) {
	ts := newTestShell(t, false)
	ctx := context.Background()
	room, err := ts.Chat.CreateRoom(ctx, bot.RoomSpec{Name: "Crisis-7", Topic: "sev2 · Outage", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Chat.Invite(ctx, room.ID, []string{"alex", "sam", "dana"}); err != nil {
		t.Fatal(err)
	}
	if err := ts.Chat.Invite(ctx, room.ID, []string{"sam", "lee"}); err != nil {
		t.Fatal(err)
	}
	ref, err := ts.Chat.DirectMessage(ctx, "sam", bot.Message{Title: "Approval needed", Text: "Proposal #1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Chat.Update(ctx, ref, bot.Message{Title: "Approved", Text: "Proposal #1"}); err != nil {
		t.Fatal(err)
	}
	if err := ts.Chat.Pin(ctx, ref); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"+ created private room #crisis-7",
		"#crisis-7 topic: sev2 · Outage",
		"+ invited to #crisis-7: @alex @sam @dana",
		"+ invited to #crisis-7: @lee",
		"✉ DM to @sam › *Approval needed*",
		"    Proposal #1",
		"✉ DM to @sam (updated m1) › *Approved*",
		"    Proposal #1",
		"📌 pinned in the DM with @sam: *Approved*",
	}, "\n") + "\n"
	if got := ts.out.String(); got != want {
		t.Fatalf("output\n%s\nwant\n%s", got, want)
	}
	ts.out.Reset()
	ts.line(t, ":rooms")
	if got := ts.out.String(); got != "#crisis-7 private — members: @alex @sam @dana @lee — topic: sev2 · Outage\n" {
		t.Fatalf(":rooms printed %q; a pinned DM is not a room", got)
	}
}

// TestOutputFromOtherGoroutinesIsSerialised is the regression test for
// lines written while webhooks or the background scheduler post: the
// shell's own output (echo, private replies) shares the workspace's lock.
// Run it with -race.
func TestOutputFromOtherGoroutinesIsSerialised(t *testing.T) {
	ts := newTestShell(t, false)
	ts.disp.reply = func(bot.Request) []bot.Reply {
		return []bot.Reply{{Message: bot.Message{Text: "only you"}, Private: true}}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 200 {
			if _, err := ts.Chat.Post(ctx, "#alerts", bot.Message{Text: "spike"}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 200 {
		ts.line(t, "/alerts list")
	}
	wg.Wait()
	for _, l := range strings.Split(strings.TrimSuffix(ts.out.String(), "\n"), "\n") {
		switch l {
		case "#alerts interlock › spike", "#general @alex › /alerts list", "#general interlock (only @alex) › only you":
		default:
			t.Fatalf("mixed-up line %q", l)
		}
	}
}

// FuzzPrefixes checks that any line splits into a person, a channel and
// the rest, and that the text is the line's tail.
func FuzzPrefixes(f *testing.F) {
	for _, s := range []string{"@dana #ops /kpi", "#crisis-2 @lee /crisis status ok", "@", "#", "@@x #", "  #a  @b  c ", "@dana"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		chat, err := NewChat(&bytes.Buffer{}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		s := New(Options{Chat: chat, Clock: fixedClock(), User: "alex"})
		line = strings.TrimSpace(line)
		user, channel, text, err := s.prefixes(line)
		if err != nil {
			t.Fatalf("%q: %v (no room exists, so no prefix is ambiguous)", line, err)
		}
		if !bot.ValidHandle(user) || !strings.HasPrefix(channel, "#") || len(channel) < 2 {
			t.Fatalf("%q gave user %q, channel %q", line, user, channel)
		}
		if !strings.HasSuffix(line, text) {
			t.Fatalf("%q gave text %q, not its tail", line, text)
		}
	})
}

func TestStateSurvivesRestartAndBadEntries(t *testing.T) {
	path := t.TempDir() + "/shell-rooms.json"
	ctx := context.Background()
	chat, err := NewChat(&bytes.Buffer{}, nil, path)
	if err != nil {
		t.Fatal(err)
	}
	room, err := chat.CreateRoom(ctx, bot.RoomSpec{Name: "crisis-1", Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := chat.Invite(ctx, room.ID, []string{"sam"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, bytes.Replace(mustRead(t, path), []byte(`"rooms": {`), []byte(`"rooms": {"ghost": null,`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(mustRead(t, path), []byte(`"ghost": null`)) {
		t.Fatal("the state file was not changed as the test means")
	}
	out := &bytes.Buffer{}
	again, err := NewChat(out, nil, path)
	if err != nil {
		t.Fatal(err)
	}
	// A null entry is dropped rather than crashing the first post to it.
	if _, err := again.Post(ctx, "#ghost", bot.Message{Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	again.printRooms()
	if !strings.Contains(out.String(), "#crisis-1 private — members: @sam") {
		t.Fatalf("after a restart:\n%s", out.String())
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnsweredButtonsAndTextButtonsArePrinted(t *testing.T) {
	ts := newTestShell(t, false)
	ts.disp.reply = func(req bot.Request) []bot.Reply {
		return []bot.Reply{
			{Message: bot.Message{Text: "Approve #1?", Buttons: []bot.Button{
				{Label: "Approve", Command: "/crisis approve 1"},
				{Label: "Reject", Command: "/crisis reject 1", Input: &bot.Input{Name: "reason", Label: "Why?"}},
			}}},
			{Message: bot.Message{Text: "✅ Approved by @dana"}, Replace: true},
		}
	}
	ts.line(t, "@dana #ops /crisis approve 1")
	want := strings.Join([]string{
		"#ops @dana › /crisis approve 1",
		"#ops interlock › Approve #1?",
		"      [Approve → /crisis approve 1]  [Reject → /crisis reject 1 <reason…>]",
		"#ops interlock (updated the clicked message) › ✅ Approved by @dana",
	}, "\n") + "\n"
	if got := ts.out.String(); got != want {
		t.Fatalf("output\n%s\nwant\n%s", got, want)
	}
}
