package kpi

import (
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/interlock-coe/interlock/bot/csvsafe"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// memWriter keeps what an import stores, one slice per transaction.
type memWriter struct {
	batches [][]store.KPIPoint
	fail    error
}

func (w *memWriter) PutKPIPoints(_ context.Context, ps []store.KPIPoint) error {
	if w.fail != nil {
		return w.fail
	}
	w.batches = append(w.batches, append([]store.KPIPoint(nil), ps...))
	return nil
}

func (w *memWriter) points() []store.KPIPoint {
	var out []store.KPIPoint
	for _, b := range w.batches {
		out = append(out, b...)
	}
	return out
}

func exampleConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Load(config.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestImportCSVKeepsGoodRowsAndReportsBadOnes(t *testing.T) {
	cfg := exampleConfig(t)
	src := CSVHeader + "\n" +
		"2026-11-01,2026-11-01,acme,instagram,engagement-rate,,420,12000\n" + // line 2: good
		"2026-11-01,2026-11-01,ACME,Instagram,mention-volume,311,,\n" + // line 3: good, ids lower-cased
		"2026-11-01,2026-11-01,acmee,instagram,leads,3,,\n" + // line 4: unknown brand
		"2026-11-01,2026-11-01,acme,instagram,engagement-rate,0.035,,\n" + // line 5: a rate, not sums
		"2026-11-01,2026-11-01,acme,instagram,leads,3\n" + // line 6: a column short
		"2026-11-02,2026-11-01,acme,instagram,leads,3,,\n" + // line 7: ends before it starts
		"2026-11-31,2026-11-31,acme,instagram,leads,3,,\n" + // line 8: no such day
		"\n" + // line 9: blank, skipped
		"2026-11-02T00:00:00+01:00,2026-11-03T00:00:00+01:00,globex,x,leads,7,,\n" + // line 10: good
		"2026-11-01,2026-11-01,acme,instagram,response-time-median,12,,\n" + // line 11: computed, not data
		"2026-11-01,2026-11-01,acme,instagram,leads,lots,,\n" + // line 12: not a number
		"2026-11-01,2026-11-01,acme,instagram,csat,,NaN,10\n" + // line 13: not finite
		"2026-11-01,2026-11-01,acme,\"insta\ngram\",leads,1,,\n" + // lines 14-15: bad channel
		"2026-11-01,2026-11-01,acme,instagram,csat,,9,-1\n" // line 16: negative denominator
	w := &memWriter{}
	rep, err := ImportCSV(t.Context(), w, cfg, importNow, strings.NewReader(src))
	if err != nil {
		t.Fatalf("ImportCSV: %v", err)
	}
	if rep.Rows != 13 || rep.Stored != 3 || rep.BadCount != 10 {
		t.Errorf("report = %+v, want 13 rows, 3 stored, 10 bad", rep)
	}
	wantBad := map[int]string{
		4: `brand: "acmee" is not a configured brand`, 5: "engagement-rate is a ratio", 6: "wrong number of columns",
		7: "period_end: must be after period_start", 8: `period_start: "2026-11-31" is not a date`,
		11: "computed from routed issues", 12: `value: "lots" is not a number`, 13: "numerator: must be a finite number",
		14: "channel:", 16: "denominator: must not be negative",
	}
	for _, b := range rep.Bad {
		want, ok := wantBad[b.Line]
		if !ok || !strings.Contains(b.Problem, want) {
			t.Errorf("bad row at line %d: %q; want a problem containing %q", b.Line, b.Problem, want)
		}
	}
	ps := w.points()
	if len(ps) != 3 || ps[0].Metric != "engagement-rate" || !ps[0].Ratio || ps[0].Numerator != 420 || ps[0].Denominator != 12000 {
		t.Fatalf("stored %+v", ps)
	}
	if ps[1].Brand != "acme" || ps[1].Channel != "instagram" || ps[1].Value != 311 {
		t.Errorf("ids not lower-cased: %+v", ps[1])
	}
	loc := cfg.Org.Location
	if want := time.Date(2026, 11, 1, 0, 0, 0, 0, loc); !ps[0].Start.Equal(want) || !ps[0].End.Equal(want.AddDate(0, 0, 1)) {
		t.Errorf("a date names the whole local day: got %v – %v", ps[0].Start, ps[0].End)
	}
	if want := time.Date(2026, 11, 3, 0, 0, 0, 0, loc); !ps[2].End.Equal(want) {
		t.Errorf("an RFC 3339 end is exclusive: got %v, want %v", ps[2].End, want)
	}
	summary := rep.String()
	for _, want := range []string{"imported 3 of 13 rows; 10 bad rows:", "\n  line 4: brand:", "\n  line 16: denominator"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
}

func TestImportCSVHeader(t *testing.T) {
	cfg := exampleConfig(t)
	for name, tc := range map[string]struct{ src, wantErr string }{
		"empty":           {"", "empty file"},
		"unknown column":  {"period_start,period_end,brand,channel,metric,value,colour\n", `unknown column "colour"`},
		"missing column":  {"period_start,period_end,brand,metric,value\n", `missing column "channel"`},
		"repeated column": {"period_start,period_end,brand,channel,metric,value,value\n", `"value" appears twice`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ImportCSV(t.Context(), &memWriter{}, cfg, importNow, strings.NewReader(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ImportCSV = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
	// Any column order works, with a byte-order mark and without the
	// number columns no row uses.
	src := "\ufeffMetric,brand,channel,period_start,period_end,value\nleads,acme,x,2026-11-01,2026-11-01,4\n"
	w := &memWriter{}
	rep, err := ImportCSV(t.Context(), w, cfg, importNow, strings.NewReader(src))
	if err != nil || rep.Stored != 1 || w.points()[0].Value != 4 {
		t.Errorf("reordered header: report %+v, err %v", rep, err)
	}
}

func TestImportCSVBatchesAndStoreFailures(t *testing.T) {
	cfg := exampleConfig(t)
	var b strings.Builder
	b.WriteString(CSVHeader + "\n")
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := ImportBatch*2 + 5
	for i := range rows {
		d := start.AddDate(0, 0, i).Format(time.DateOnly)
		b.WriteString(d + "," + d + ",acme,x,leads,1,,\n")
	}
	w := &memWriter{}
	rep, err := ImportCSV(t.Context(), w, cfg, importNow, strings.NewReader(b.String()))
	if err != nil || rep.Stored != rows || len(w.batches) != 3 || len(w.batches[0]) != ImportBatch {
		t.Errorf("report %+v, err %v, %d batches; want %d rows in 3 batches", rep, err, len(w.batches), rows)
	}
	boom := errors.New("disk full")
	rep, err = ImportCSV(t.Context(), &memWriter{fail: boom}, cfg, importNow, strings.NewReader(b.String()))
	if !errors.Is(err, boom) || rep.Stored != 0 {
		t.Errorf("failing store: report %+v, err %v", rep, err)
	}
}

func TestReportListsAtMostMaxBadRows(t *testing.T) {
	var b strings.Builder
	b.WriteString(CSVHeader + "\n")
	for range MaxBadRows + 7 {
		b.WriteString("x,x,x,x,x,x,x,x\n")
	}
	rep, err := ImportCSV(t.Context(), &memWriter{}, exampleConfig(t), importNow, strings.NewReader(b.String()))
	if err != nil || rep.BadCount != MaxBadRows+7 || len(rep.Bad) != MaxBadRows {
		t.Fatalf("report %+v, err %v", rep, err)
	}
	if !strings.HasSuffix(rep.String(), "… and 7 more") {
		t.Errorf("summary does not say how many more:\n%s", rep.String())
	}
}

func FuzzCSV(f *testing.F) {
	cfg := exampleConfig(f)
	f.Add(CSVHeader + "\n2026-11-01,2026-11-01,acme,instagram,engagement-rate,,420,12000\n")
	f.Add(CSVHeader + "\n2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,globex,x,leads,1e3,,\n")
	f.Add("metric,brand,channel,period_start,period_end,value\nleads,acme,x,2026-11-01,2026-11-01,\"4\"\"\"\n")
	f.Add(CSVHeader + "\n\"unterminated,x\n")
	f.Add(CSVHeader + "\n,,,,,,,\n1,2\n")
	f.Add(CSVHeader + "\n0001-01-01,9999-12-31,acme,x,leads,-1e308,,\n2026-11-01,2026-11-01,acme,x,csat,,-1,0\n")
	f.Add(CSVHeader + "\n2026-11-01,2026-11-01,acme,x,net-sentiment,,-1e15,1e15\n")
	f.Fuzz(func(t *testing.T, src string) {
		w := &memWriter{}
		rep, err := ImportCSV(context.Background(), w, cfg, importNow, strings.NewReader(src))
		if err != nil {
			return // a bad header refuses the whole file
		}
		if rep.Rows != rep.Stored+rep.BadCount || rep.Stored != len(w.points()) {
			t.Fatalf("report %+v does not add up (%d stored)", rep, len(w.points()))
		}
		for _, b := range rep.Bad {
			if b.Line < 2 || b.Problem == "" {
				t.Fatalf("bad row %+v has no line or problem", b)
			}
		}
		for _, p := range w.points() {
			k, ok := cfg.KPI(p.Metric)
			if !ok || p.Brand == "" || p.Channel == "" || !p.End.After(p.Start) ||
				!plausible(p.Value, k.Signed) || !plausible(p.Numerator, k.Signed) || !plausible(p.Denominator, false) ||
				(p.Ratio && p.Denominator == 0) || p.Start.Year() < 1999 || p.End.After(importNow.AddDate(0, 0, 3)) ||
				p.End.Sub(p.Start) > MaxPeriod || !p.SentAt.Equal(importNow) {
				t.Fatalf("stored a bad point %+v", p)
			}
		}
		_ = rep.String()
	})
}

// plausible reports whether Check may accept f.
func plausible(f float64, signed bool) bool {
	return !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) <= MaxNumber && (f >= 0 || signed)
}

// brokenReader gives text, then fails every read.
type brokenReader struct {
	text string
	err  error
}

func (r *brokenReader) Read(p []byte) (int, error) {
	if r.text == "" {
		return 0, r.err
	}
	n := copy(p, r.text)
	r.text = r.text[n:]
	return n, nil
}

// TestImportCSVStopsWhenTheSourceFails: a reader that keeps failing used to
// make ImportCSV count bad rows for ever.
func TestImportCSVStopsWhenTheSourceFails(t *testing.T) {
	boom := errors.New("connection reset")
	src := &brokenReader{text: CSVHeader + "\n2026-11-01,2026-11-01,acme,x,leads,1,,\n", err: boom}
	w := &memWriter{}
	rep, err := ImportCSV(t.Context(), w, exampleConfig(t), importNow, src)
	if !errors.Is(err, boom) {
		t.Fatalf("ImportCSV = %+v, %v; want the read error", rep, err)
	}
	if rep.Rows != 1 || rep.Stored != 1 || rep.BadCount != 0 || len(w.points()) != 1 {
		t.Errorf("report %+v, %d stored; want the row read before the failure kept", rep, len(w.points()))
	}
}

// importNow is when the tests' imports run: after the rows' periods.
var importNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// TestImportCSVRefusesImplausibleRows: the rows the webhook refuses are
// refused by the import too, by line (the same Check).
func TestImportCSVRefusesImplausibleRows(t *testing.T) {
	src := CSVHeader + "\n" +
		"2026-11-01,2026-11-01,acme,x,leads,-3,,\n" + // line 2
		"2026-11-01,2026-11-01,acme,x,leads,1.7e308,,\n" + // line 3
		"2026-11-01,2026-11-01,acme,x,csat,,4,0\n" + // line 4
		"2026-11-01,2026-11-01,acme,x,csat,,-4,10\n" + // line 5
		"0001-01-01,0001-01-01,acme,x,leads,1,,\n" + // line 6
		"9999-01-01,9999-01-01,acme,x,leads,1,,\n" + // line 7
		"2025-11-01,2026-11-02,acme,x,leads,1,,\n" + // line 8
		"2026-11-01,2026-11-01,acme,x,net-sentiment,,-4,10\n" // line 9: signed, good
	w := &memWriter{}
	rep, err := ImportCSV(t.Context(), w, exampleConfig(t), importNow, strings.NewReader(src))
	if err != nil || rep.Stored != 1 || rep.BadCount != 7 {
		t.Fatalf("report %+v, err %v; want 1 stored and 7 bad", rep, err)
	}
	for i, want := range []string{"value: must not be negative", "value: 1.7e+308 is larger than", "denominator: must not be 0",
		"numerator: must not be negative", "period_start: 0001-01-01 is before 2000-01-01", "period_end: must not be after tomorrow (2026-11-24)",
		"period_end: makes a period longer than a year"} {
		if got := rep.Bad[i]; got.Line != i+2 || !strings.Contains(got.Problem, want) {
			t.Errorf("bad row %d = %+v, want line %d: %s", i, got, i+2, want)
		}
	}
}

// endless is a reader of zero bytes without end, like /dev/zero.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestImportCSVBoundsTheLineLength: /dev/zero used to be read into memory
// until the kernel killed the import.
func TestImportCSVBoundsTheLineLength(t *testing.T) {
	src := io.MultiReader(strings.NewReader(CSVHeader+"\n2026-11-01,2026-11-01,acme,x,leads,1,,\n"), endless{})
	rep, err := ImportCSV(t.Context(), &memWriter{}, exampleConfig(t), importNow, src)
	var long *csvsafe.LineTooLongError
	if !errors.As(err, &long) || long.Line != 3 || !strings.Contains(err.Error(), "line 3 is longer than 65536 bytes") {
		t.Fatalf("ImportCSV = %+v, %v; want line 3 too long", rep, err)
	}
	if rep.Stored != 1 {
		t.Errorf("report %+v; want the row before the long line stored", rep)
	}
	// The header line is bounded as well.
	if _, err := ImportCSV(t.Context(), &memWriter{}, exampleConfig(t), importNow, endless{}); !errors.As(err, &long) || long.Line != 1 {
		t.Errorf("endless header: %v, want line 1 too long", err)
	}
}

// cancelAfter cancels its context once n rows have been read.
type cancelAfter struct {
	rows   int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	row := "2026-11-01,2026-11-01,acme,x,leads,1,,\n"
	if c.rows == 0 {
		c.cancel()
	}
	c.rows--
	return copy(p, row), nil
}

// TestImportCSVStopsWhenCancelled: an endless stream of good rows stops
// once the context is cancelled (SIGTERM), keeping what was stored.
func TestImportCSVStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	src := io.MultiReader(strings.NewReader(CSVHeader+"\n"), &cancelAfter{rows: 3000, cancel: cancel})
	rep, err := ImportCSV(ctx, &memWriter{}, exampleConfig(t), importNow, src)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ImportCSV = %+v, %v; want it stopped by the cancellation", rep, err)
	}
	if rep.Rows < 3000 || rep.Stored != rep.Rows {
		t.Errorf("report %+v; want the rows read before the cancellation stored", rep)
	}
}
