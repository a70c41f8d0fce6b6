package center_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/interlock-coe/interlock/bot/chart"
)

// browser starts Debian's headless chromium for t (tabs are opened in it
// with their own cookies), or skips t when it is
// not installed (fails under CI=true, where scripts/chromium.sh installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; scripts/chromium.sh installs it")
		}
		t.Skip("chromium is not installed (scripts/chromium.sh installs it)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1920, 1080),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-default-browser-check", true),
	}
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancel)
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// tab opens a tab with its own cookies and records the page's console
// errors, uncaught exceptions and browser log errors (CSP violations,
// failed loads) in errs.
func tab(t *testing.T, allocator context.Context, errs *consoleErrors) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(allocator, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("open a tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				errs.add(m.String())
			}
		}
	}()
	return ctx
}

type consoleErrors struct {
	mu   sync.Mutex
	list []string
}

func (c *consoleErrors) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = append(c.list, s)
}

func (c *consoleErrors) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.list...)
}

// status navigates to url and returns the HTTP status of the page.
func status(t *testing.T, ctx context.Context, url string) int64 {
	t.Helper()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return resp.Status
}

// TestBrowser drives the command center in real headless chromium: sign
// in through a link from chat, watch a crisis opened in chat appear without
// a reload, read the alert chart and a breached issue, and check the
// refusals. With UPDATE_SCREENSHOTS=1 it rewrites docs/center-laptop.png
// and docs/center-wall.png.
func TestBrowser(t *testing.T) {
	allocator := browser(t)
	st := newSite(t, settings("auto"))
	// Issues routed before 64 hours of listening data: both breached.
	st.Say("@jo /route customer-care Refund never arrived for order 1182").Contains(t, "#1")
	st.Say("@jo /route legal GDPR request from a customer").Contains(t, "#2")
	st.spike(t, "sizing")
	st.Say("@jo /route sales Quote for 40 seats")
	st.Say("@alex /crisis open sev2 Checkout outage in EU --brand acme")
	st.Say("@alex /decision Pause paid social for 48h --context checkout outage")

	var errs consoleErrors
	ctx := tab(t, allocator, &errs)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	link := st.link(t, "alex")
	if got := status(t, ctx, link); got != http.StatusOK { // 303 to /, then 200
		t.Fatalf("sign-in landed on status %d", got)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#crises")); err != nil {
		t.Fatal(err)
	}
	svg := run(t, ctx, chromedp.OuterHTML("#alerts figure svg"))
	breached := run(t, ctx, chromedp.Text(".issue.breached"))
	run(t, ctx, chromedp.Evaluate[bool](`window.__noReload = true`))
	if counts, err := chart.SVGLines([]byte(svg)); err != nil || len(counts) == 0 || counts[0] != 48 {
		t.Errorf("alert chart lines %v (%v): want 48 points, one per hour", counts, err)
	}
	if !strings.Contains(breached, "BREACHED") {
		t.Errorf("breached issue reads %q", breached)
	}

	st.Say("@jo /crisis open sev1 Warehouse fire rumours")
	appear, stop := context.WithTimeout(ctx, 5*time.Second) // the contract is 2 s; this only bounds a failure
	defer stop()
	if err := chromedp.Do(appear, chromedp.WaitVisible(`[data-crisis="2"]`)); err != nil {
		t.Fatalf("the crisis opened in chat did not appear: %v", err)
	}
	title := run(t, ctx, chromedp.Text(`[data-crisis="2"]`))
	marker := run(t, ctx, chromedp.Evaluate[bool](`window.__noReload === true`))
	if !strings.Contains(title, "Warehouse fire rumours") || !marker {
		t.Errorf("crisis row %q, page kept (no reload) %v", title, marker)
	}
	screenshot(t, ctx, "docs/center-laptop.png")

	// Refusals: a reused link, an expired one, a non-member on a room.
	other := tab(t, allocator, &errs)
	if got := status(t, other, link); got != http.StatusForbidden {
		t.Errorf("reused link: status %d, want 403", got)
	}
	late := st.link(t, "zed")
	st.Clock.Set(st.Clock.Now().Add(11 * time.Minute))
	if got := status(t, other, late); got != http.StatusForbidden {
		t.Errorf("expired link: status %d, want 403", got)
	}
	if got := status(t, other, st.link(t, "zed")); got != http.StatusOK {
		t.Fatalf("zed's sign-in: status %d", got)
	}
	if got := status(t, other, st.Server.URL+"/crises/2"); got != http.StatusForbidden {
		t.Errorf("non-member on /crises/2: status %d, want 403", got)
	}

	wall := tab(t, allocator, &errs)
	if got := status(t, wall, st.Server.URL+"/?wall=1&rotate=0&token="+testWall); got != http.StatusOK {
		t.Fatalf("wall: status %d", got)
	}
	if err := chromedp.Do(wall, chromedp.WaitVisible("body.wall #crises")); err != nil {
		t.Fatal(err)
	}
	screenshot(t, wall, "docs/center-wall.png")

	// 401/403 pages log a failed load; only the page's own errors count.
	for _, e := range errs.all() {
		if !strings.Contains(e, "status of 403") && !strings.Contains(e, "status of 401") {
			t.Errorf("browser error: %s", e)
		}
	}
}

// screenshot saves the page to the repository's path when
// UPDATE_SCREENSHOTS=1, so that ordinary runs leave the tree clean.
func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if os.Getenv("UPDATE_SCREENSHOTS") != "1" {
		return
	}
	png := run(t, ctx, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join("..", "..", path), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs one action and fails t on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
