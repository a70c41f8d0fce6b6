package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is one run of the benchmarks, as written to results.json.
type Report struct {
	Started   time.Time  `json:"started"`
	Duration  string     `json:"duration"`
	Machine   Machine    `json:"machine"`
	Scenarios []Scenario `json:"scenarios"`
}

// Machine describes where the figures were measured.
type Machine struct {
	CPUs       int     `json:"cpus"`
	GoVersion  string  `json:"go_version"`
	OS         string  `json:"os"`
	Arch       string  `json:"arch"`
	LoadBefore float64 `json:"load_average_before"` // 1-minute load average when the run started
	LoadAfter  float64 `json:"load_average_after"`
}

// Scenario is what one benchmark measured: a table of figures, the targets
// judged against them and notes on how to read them.
type Scenario struct {
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Table   Table    `json:"table"`
	Targets []Target `json:"targets"`
	Notes   []string `json:"notes,omitempty"`
	Error   string   `json:"error,omitempty"`
	Seconds float64  `json:"seconds"`
}

// Table is a scenario's figures. Cells are strings or float64s; a column's
// unit and precision apply to its numbers.
type Table struct {
	Columns []Column `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// Column is a table heading.
type Column struct {
	Name   string `json:"name"`
	Unit   string `json:"unit,omitempty"`
	Digits int    `json:"-"`
}

// Add appends a row.
func (t *Table) Add(cells ...any) { t.Rows = append(t.Rows, cells) }

// Target is one promise and whether this run kept it.
type Target struct {
	Name  string  `json:"name"`
	Want  string  `json:"want"`
	Got   string  `json:"got"`
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"`
	Met   bool    `json:"met"`
}

// below is a target met when value < limit.
func below(name string, value, limit float64, unit string) Target {
	return Target{Name: name, Want: "< " + num(limit, unit), Got: num(value, unit), Value: value, Limit: limit, Unit: unit, Met: value < limit}
}

// atMost is a target met when value ≤ limit.
func atMost(name string, value, limit float64, unit string) Target {
	return Target{Name: name, Want: "≤ " + num(limit, unit), Got: num(value, unit), Value: value, Limit: limit, Unit: unit, Met: value <= limit}
}

// atLeast is a target met when value ≥ limit.
func atLeast(name string, value, limit float64, unit string) Target {
	return Target{Name: name, Want: "≥ " + num(limit, unit), Got: num(value, unit), Value: value, Limit: limit, Unit: unit, Met: value >= limit}
}

// unmeasured is a target that could not be judged because its scenario failed.
func unmeasured(name, want string) Target {
	return Target{Name: name, Want: want, Got: "not measured"}
}

func num(v float64, unit string) string {
	s := formatNumber(v, digitsFor(v))
	if unit == "" {
		return s
	}
	if unit == "%" || unit == "×" {
		return s + unit
	}
	return s + " " + unit
}

func digitsFor(v float64) int {
	switch a := max(v, -v); {
	case a == 0 || a >= 100:
		return 0
	case a >= 10:
		return 1
	default:
		return 2
	}
}

func formatNumber(v float64, digits int) string {
	s := fmt.Sprintf("%.*f", digits, v)
	// Thousands separators make 100000 readable.
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// Print writes the scenario as a titled table with its notes.
func (s Scenario) Print(w io.Writer) {
	fmt.Fprintf(w, "\n== %s (%.0f s)\n", s.Title, s.Seconds)
	if s.Error != "" {
		fmt.Fprintf(w, "   FAILED: %s\n", s.Error)
	}
	if len(s.Table.Columns) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		var head []string
		for _, c := range s.Table.Columns {
			h := c.Name
			if c.Unit != "" {
				h += " (" + c.Unit + ")"
			}
			head = append(head, h)
		}
		fmt.Fprintln(tw, "   "+strings.Join(head, "\t")+"\t")
		for _, row := range s.Table.Rows {
			cells := make([]string, len(row))
			for i, cell := range row {
				cells[i] = s.Table.cell(i, cell)
			}
			fmt.Fprintln(tw, "   "+strings.Join(cells, "\t")+"\t")
		}
		tw.Flush()
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "   · %s\n", n)
	}
}

func (t Table) cell(i int, v any) string {
	switch x := v.(type) {
	case float64:
		d := digitsFor(x)
		if i < len(t.Columns) && t.Columns[i].Digits > 0 {
			d = t.Columns[i].Digits
		}
		return formatNumber(x, d)
	case int:
		return formatNumber(float64(x), 0)
	case nil:
		return "–"
	default:
		return fmt.Sprint(x)
	}
}

// PrintHeader says where and under what load the figures were measured.
func (r Report) PrintHeader(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "Interlock benchmarks — %d CPUs, %s %s/%s, load average %.2f at start\n", m.CPUs, m.GoVersion, m.OS, m.Arch, m.LoadBefore)
	if m.LoadBefore > busyLoad {
		fmt.Fprintf(w, "WARNING: load average %.2f at start: other work on the machine may skew the figures below\n", m.LoadBefore)
	}
}

// busyLoad is the load average above which other work skews the figures.
const busyLoad = 1.0

// PrintTargets writes every scenario's targets as one summary table.
func (r Report) PrintTargets(w io.Writer) {
	fmt.Fprintf(w, "\n== Targets (load average %.2f at start, %.2f at end)\n", r.Machine.LoadBefore, r.Machine.LoadAfter)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   scenario\ttarget\twant\tgot\tverdict")
	met, all := 0, 0
	for _, s := range r.Scenarios {
		for _, t := range s.Targets {
			verdict := "NOT MET"
			if t.Met {
				verdict = "met"
				met++
			}
			all++
			fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\t%s\n", s.Name, t.Name, t.Want, t.Got, verdict)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "   %d of %d targets met (no target is a test failure)\n", met, all)
}
