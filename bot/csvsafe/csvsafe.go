// Package csvsafe writes CSV that a spreadsheet opens as data, never as
// formulas. A cell that begins with =, +, -, @, a tab or a carriage return
// is read by Excel, LibreOffice and Google Sheets as a formula (or a DDE
// call such as =cmd|'/c calc'!A1), so such a cell is prefixed with a single
// quote, as OWASP's "CSV Injection" page advises. Every CSV the project
// writes goes through this package.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula.
const formulaStarts = "=+-@\t\r"

// Cell returns s, prefixed with a single quote when a spreadsheet would
// read it as a formula.
func Cell(s string) string {
	if s == "" {
		return s
	}
	for i := 0; i < len(formulaStarts); i++ {
		if s[0] == formulaStarts[i] {
			return "'" + s
		}
	}
	return s
}

// Writer is a csv.Writer whose records are made safe cell by cell.
type Writer struct {
	*csv.Writer
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv.NewWriter(w)} }

// Write writes one record, each cell passed through Cell. The caller's
// slice is left as it was.
func (w *Writer) Write(record []string) error {
	safe := make([]string, len(record))
	for i, s := range record {
		safe[i] = Cell(s)
	}
	return w.Writer.Write(safe)
}
