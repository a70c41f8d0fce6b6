package csvsafe

import (
	"context"
	"fmt"
	"io"
)

// MaxLineBytes bounds one line of an imported CSV file: a real row is a few
// hundred bytes, and a longer line means the file is not what it claims.
const MaxLineBytes = 64 << 10

// LineTooLongError stops an import at a line longer than MaxLineBytes.
type LineTooLongError struct{ Line int }

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes; is this a CSV file?", e.Line, MaxLineBytes)
}

// NewReader returns src for a CSV reader, failing on a line longer than
// MaxLineBytes and as soon as ctx is done, so that neither an endless line
// nor a source that never ends can hold an import (or SIGTERM) off.
func NewReader(ctx context.Context, src io.Reader) io.Reader {
	return &boundedReader{ctx: ctx, r: src, line: 1}
}

type boundedReader struct {
	ctx   context.Context
	r     io.Reader
	line  int // 1-based line being read
	width int // bytes of it read so far
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, fmt.Errorf("import stopped at line %d: %w", b.line, err)
	}
	n, err := b.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			b.line, b.width = b.line+1, 0
			continue
		}
		if b.width++; b.width > MaxLineBytes {
			return i, &LineTooLongError{Line: b.line}
		}
	}
	return n, err
}
