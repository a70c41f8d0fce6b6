package kpi

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot/csvsafe"
	"github.com/interlock-coe/interlock/config"
	"github.com/interlock-coe/interlock/store"
)

// CSVHeader is the header of a KPI import file. The columns may come in any
// order; value, or numerator and denominator, may be left out when no row
// uses them.
const CSVHeader = "period_start,period_end,brand,channel,metric,value,numerator,denominator"

// Limits of an import.
const (
	// ImportBatch is how many rows are stored per transaction.
	ImportBatch = 1000
	// MaxBadRows is how many bad rows a Report lists one by one; the rest
	// are only counted.
	MaxBadRows = 50
)

// Writer stores data points. A store.KPIs does; so does *Service, which
// also invalidates cached answers.
type Writer interface {
	PutKPIPoints(ctx context.Context, ps []store.KPIPoint) error
}

// BadRow is a row that was not imported, and why.
type BadRow struct {
	Line    int // 1-based line of the file
	Problem string
}

// Report says what an import did.
type Report struct {
	Rows     int      // data rows read (the header excluded)
	Stored   int      // rows stored; a repeated key counts each time
	BadCount int      // rows refused
	Bad      []BadRow // the first MaxBadRows refused rows, in file order
}

// String summarises the report for people: the counts, then one line per
// listed bad row.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "imported %d of %d rows", r.Stored, r.Rows)
	if r.BadCount == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "; %d bad %s:", r.BadCount, plural(r.BadCount, "row", "rows"))
	for _, bad := range r.Bad {
		fmt.Fprintf(&b, "\n  line %d: %s", bad.Line, bad.Problem)
	}
	if more := r.BadCount - len(r.Bad); more > 0 {
		fmt.Fprintf(&b, "\n  … and %d more", more)
	}
	return b.String()
}

func (r *Report) refuse(line int, problem string) {
	r.BadCount++
	if len(r.Bad) < MaxBadRows {
		r.Bad = append(r.Bad, BadRow{Line: line, Problem: problem})
	}
}

// ImportCSV reads KPI data points from src (a header, then one point per
// row; see CSVHeader and Input) and stores the good rows in w, ImportBatch
// rows per transaction; now is the time of the import (the rows' send time
// and the bound of their periods). A bad row is reported with its line
// number and skipped; the good rows are kept. The error is for what stops
// the import as a whole: an unreadable header or source, a line longer
// than MaxLineBytes, a cancelled ctx, or a failing store. The report then
// tells how many rows were stored before it. The file is streamed: memory
// stays bounded whatever its size.
func ImportCSV(ctx context.Context, w Writer, cfg *config.Config, now time.Time, src io.Reader) (Report, error) {
	var rep Report
	r := csv.NewReader(csvsafe.NewReader(ctx, src))
	r.ReuseRecord = true
	cols, err := readHeader(r)
	if err != nil {
		return rep, err
	}
	r.FieldsPerRecord = len(cols.names)
	batch := make([]store.KPIPoint, 0, ImportBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := w.PutKPIPoints(ctx, batch); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("import stopped; rows up to line %d not stored: %w", rep.Rows+1, ctx.Err())
			}
			return fmt.Errorf("store rows up to line %d: %w", rep.Rows+1, err)
		}
		rep.Stored += len(batch)
		batch = batch[:0]
		return nil
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.As(err, new(*csv.ParseError)) {
			// The source failed, not a row: the reader would return the same
			// error for ever. Keep what was read and stop.
			if ferr := flush(); ferr != nil {
				return rep, ferr
			}
			return rep, fmt.Errorf("read the file after %d rows: %w", rep.Rows, err)
		}
		line := 0
		if len(rec) > 0 {
			line, _ = r.FieldPos(0)
		}
		if p, ok := rowPoint(cfg, now, cols, rec, err, line, &rep); ok {
			batch = append(batch, p)
		}
		if len(batch) == ImportBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	return rep, flush()
}

// rowPoint checks one row read with readErr and counts it in rep; ok is
// false for a refused row.
func rowPoint(cfg *config.Config, now time.Time, cols columns, rec []string, readErr error, line int, rep *Report) (store.KPIPoint, bool) {
	rep.Rows++
	var pe *csv.ParseError
	if errors.As(readErr, &pe) {
		line = pe.StartLine
	}
	if readErr != nil {
		rep.refuse(line, csvProblem(readErr))
		return store.KPIPoint{}, false
	}
	in, err := cols.input(rec)
	if err == nil {
		var p store.KPIPoint
		if p, err = Check(cfg, now, in); err == nil {
			return p, true
		}
	}
	rep.refuse(line, err.Error())
	return store.KPIPoint{}, false
}

// csvProblem words a CSV syntax error without repeating its position.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return "wrong number of columns"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// columns maps the header's column names to their positions.
type columns struct {
	names []string
	at    map[string]int
}

var (
	requiredColumns = []string{"period_start", "period_end", "brand", "channel", "metric"}
	numberColumns   = []string{"value", "numerator", "denominator"}
)

func readHeader(r *csv.Reader) (columns, error) {
	rec, err := r.Read()
	if errors.Is(err, io.EOF) {
		return columns{}, fmt.Errorf("empty file: want the header %s", CSVHeader)
	}
	if err != nil {
		return columns{}, fmt.Errorf("read header: %w", err)
	}
	cols := columns{names: slices.Clone(rec), at: map[string]int{}}
	for i, name := range cols.names {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if !slices.Contains(requiredColumns, name) && !slices.Contains(numberColumns, name) {
			return cols, fmt.Errorf("line 1: unknown column %q; the header is %s", clip(name), CSVHeader)
		}
		if _, dup := cols.at[name]; dup {
			return cols, fmt.Errorf("line 1: column %q appears twice", name)
		}
		cols.at[name] = i
	}
	for _, name := range requiredColumns {
		if _, ok := cols.at[name]; !ok {
			return cols, fmt.Errorf("line 1: missing column %q; the header is %s", name, CSVHeader)
		}
	}
	return cols, nil
}

// input reads a row into an Input; empty number cells are absent.
func (c columns) input(rec []string) (Input, error) {
	text := func(name string) string { return rec[c.at[name]] }
	in := Input{
		Metric: text("metric"), Brand: text("brand"), Channel: text("channel"),
		PeriodStart: text("period_start"), PeriodEnd: text("period_end"),
	}
	nums := []**float64{&in.Value, &in.Numerator, &in.Denominator}
	for i, name := range numberColumns {
		at, ok := c.at[name]
		if !ok || strings.TrimSpace(rec[at]) == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[at]), 64)
		if err != nil {
			return in, fieldErr(name, "%q is not a number", clip(rec[at]))
		}
		*nums[i] = &v
	}
	return in, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
