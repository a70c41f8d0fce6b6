package accounts_test

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot/csvsafe"
	"github.com/interlock-coe/interlock/commands/accounts"
	"github.com/interlock-coe/interlock/commands/commandstest"
)

func TestImportRefusesBadHeaders(t *testing.T) {
	_, svc := newHarness(t)
	for _, src := range []string{
		"",
		"network,handle,brand\n",
		"network,handle,brand,owner,colour\n",
		"network,handle,brand,owner,owner\n",
	} {
		if _, err := svc.Import(context.Background(), strings.NewReader(src), "alex"); err == nil {
			t.Errorf("%q: accepted", src)
		}
	}
}

func TestImportReportsRows(t *testing.T) {
	h, svc := newHarness(t)
	src := "\ufeffHandle,Network,Brand,Owner,two_factor,last_post\n" +
		"acme,instagram,acme,@dana,yes,2026-11-01\n" +
		"acme2,instagram,acme,dana\n" + // wrong number of columns
		"acme3,instagram,acme,nobody!,on,\n" +
		"acme4,instagram,acme,dana,maybe,\n" +
		"acme5,instagram,acme,dana,on,2030-01-01\n" +
		"acme6,instagram,acme,dana,off,\n"
	rep, err := svc.Import(context.Background(), strings.NewReader(src), "alex")
	if err != nil {
		t.Fatal(err)
	}
	want := "imported 2 of 6 accounts; 4 not imported:\n  line 3: wrong number of columns\n  line 4: " +
		"\"nobody!\" is not a user handle"
	if !strings.HasPrefix(rep.String(), want[:60]) || len(rep.Bad) != 4 || rep.Bad[1].Line != 4 || rep.Bad[2].Line != 5 || rep.Bad[3].Line != 6 {
		t.Errorf("report:\n%s", rep.String())
	}
	if !strings.Contains(rep.String(), "line 5: two_factor:") || !strings.Contains(rep.String(), "line 6: last_post:") {
		t.Errorf("report:\n%s", rep.String())
	}
	a, err := h.Store.Account(context.Background(), 1)
	if err != nil || !a.TwoFactor || a.LastPostAt.IsZero() || a.Owner != "dana" {
		t.Errorf("imported %+v %v", a, err)
	}
}

func TestImportBoundsLinesAndHonoursCancellation(t *testing.T) {
	_, svc := newHarness(t)
	long := accounts.CSVHeader + "\n" + strings.Repeat("x", csvsafe.MaxLineBytes+10) + "\n"
	_, err := svc.Import(context.Background(), strings.NewReader(long), "alex")
	var tooLong *csvsafe.LineTooLongError
	if !errors.As(err, &tooLong) || tooLong.Line != 2 {
		t.Errorf("long line: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte(accounts.CSVHeader + "\ninstagram,acme,acme,dana,,,,on,\n"))
		cancel()
		_, _ = pw.Write([]byte("instagram,acme2,acme,dana,,,,on,\n"))
		pw.Close()
	}()
	rep, err := svc.Import(ctx, pr, "alex")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled import: %v (report %+v)", err, rep)
	}
}

// FuzzParseRow feeds the row parser any CSV line: it never panics, and
// what it accepts has a valid network and handle.
func FuzzParseRow(f *testing.F) {
	for _, seed := range []string{
		"instagram,acme,acme,@dana,,marketing,https://instagram.com/acme,on,2026-11-01",
		"X,@Acme_HQ,globex,dana,lee,,,off,",
		",,,,,,,,",
		"in$ta,ac me,acme,dana,,,,maybe,31-12-2026",
		"\"quoted, handle\",acme,acme,dana,,,,yes,2026-02-30",
		"linkedin,a.b-c,acme,dana,,,,1,0001-01-01",
	} {
		f.Add(seed)
	}
	cols, err := accounts.ParseHeader(strings.Split(accounts.CSVHeader, ","))
	if err != nil {
		f.Fatal(err)
	}
	now := commandstest.Start
	f.Fuzz(func(t *testing.T, line string) {
		r := csv.NewReader(strings.NewReader(line))
		r.FieldsPerRecord = -1
		rec, err := r.Read()
		if err != nil {
			return
		}
		in, err := accounts.ParseRow(cols, rec, time.UTC, now)
		if err != nil {
			return
		}
		if in.Network == "" || in.Network != strings.ToLower(in.Network) || in.Handle == "" || strings.HasPrefix(in.Handle, "@") ||
			strings.ContainsAny(in.Handle+in.Network, " ,\"\n") || in.LastPost.After(now) {
			t.Errorf("accepted %q as %+v", line, in)
		}
	})
}
