package accounts

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/interlock-coe/interlock/bot"
	"github.com/interlock-coe/interlock/bot/csvsafe"
)

// CSVHeader is the header of an account import file. The columns may come
// in any order; network, handle, brand and owner are required, the others
// may be left out.
const CSVHeader = "network,handle,brand,owner,backup,dept,url,two_factor,last_post"

// Limits of an import.
const (
	// MaxBadRows is how many refused rows a Report lists one by one.
	MaxBadRows = 50
)

var (
	requiredColumns = []string{"network", "handle", "brand", "owner"}
	optionalColumns = []string{"backup", "dept", "url", "two_factor", "last_post"}
)

// BadRow is a row that was not imported, and why.
type BadRow struct {
	Line    int
	Problem string
}

// Report says what an import did.
type Report struct {
	Rows     int // data rows read
	Added    int
	BadCount int
	Bad      []BadRow // the first MaxBadRows, in file order
}

// String summarises the report: the counts, then one line per bad row.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "imported %d of %d accounts", r.Added, r.Rows)
	if r.BadCount == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "; %d not imported:", r.BadCount)
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

// Columns maps a header's column names to their positions.
type Columns map[string]int

// ParseHeader reads an import file's header.
func ParseHeader(rec []string) (Columns, error) {
	cols := Columns{}
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if !slices.Contains(requiredColumns, name) && !slices.Contains(optionalColumns, name) {
			return nil, fmt.Errorf("line 1: unknown column %q; the header is %s", clip(name), CSVHeader)
		}
		if _, dup := cols[name]; dup {
			return nil, fmt.Errorf("line 1: column %q appears twice", name)
		}
		cols[name] = i
	}
	for _, name := range requiredColumns {
		if _, ok := cols[name]; !ok {
			return nil, fmt.Errorf("line 1: missing column %q; the header is %s", name, CSVHeader)
		}
	}
	return cols, nil
}

// ParseRow reads one data row (outside input) into an Input, checking the
// fields that need no configuration: network, handle, two_factor and
// last_post (a YYYY-MM-DD day in loc, not after now).
func ParseRow(cols Columns, rec []string, loc *time.Location, now time.Time) (Input, error) {
	cell := func(name string) string {
		if i, ok := cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	in := Input{Brand: cell("brand"), Owner: cell("owner"), Backup: cell("backup"), Dept: cell("dept"), URL: cell("url")}
	var err error
	if in.Network, err = network(cell("network")); err != nil {
		return in, err
	}
	if in.Handle, err = handle(cell("handle")); err != nil {
		return in, err
	}
	if in.TwoFactor, err = onOff(cell("two_factor")); err != nil {
		return in, bot.Errorf(bot.EInvalid, "two_factor: %s", bot.ErrorMessage(err))
	}
	if v := cell("last_post"); v != "" {
		if in.LastPost, err = date(v, loc, now); err != nil {
			return in, bot.Errorf(bot.EInvalid, "last_post: %s", bot.ErrorMessage(err))
		}
	}
	return in, nil
}

// Import adds the accounts of a CSV file (see CSVHeader), as by. A bad row
// or a duplicate network and handle is reported with its line number and
// skipped; the good rows are kept. The error is for what stops the import
// as a whole: an unreadable header or source, a line longer than
// MaxLineBytes, a cancelled ctx or a failing store.
func (s *Service) Import(ctx context.Context, src io.Reader, by string) (Report, error) {
	var rep Report
	r := csv.NewReader(csvsafe.NewReader(ctx, src))
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return rep, fmt.Errorf("empty file: want the header %s", CSVHeader)
	}
	if err != nil {
		return rep, fmt.Errorf("read header: %w", err)
	}
	cols, err := ParseHeader(head)
	if err != nil {
		return rep, err
	}
	r.FieldsPerRecord = len(head)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return rep, fmt.Errorf("read the file after %d rows: %w", rep.Rows, err)
		}
		rep.Rows++
		if pe != nil {
			rep.refuse(pe.StartLine, csvProblem(pe))
			continue
		}
		line, _ := r.FieldPos(0)
		if err := s.importRow(ctx, cols, rec, by); err != nil {
			if ctx.Err() != nil || !isUserError(err) {
				return rep, fmt.Errorf("line %d: %w", line, err)
			}
			rep.refuse(line, bot.ErrorMessage(err))
			continue
		}
		rep.Added++
	}
}

func (s *Service) importRow(ctx context.Context, cols Columns, rec []string, by string) error {
	in, err := ParseRow(cols, rec, s.Config.Org.Location, s.Clock.Now())
	if err != nil {
		return err
	}
	_, err = s.Add(ctx, in, by)
	return err
}

// isUserError tells a refused row (bad value, duplicate) from a failure.
func isUserError(err error) bool {
	var be *bot.Error
	return errors.As(err, &be) && (be.Code == bot.EInvalid || be.Code == bot.EConflict || be.Code == bot.ENotFound)
}

func csvProblem(pe *csv.ParseError) string {
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return "wrong number of columns"
	}
	return pe.Err.Error()
}
