// Package bot is Interlock's platform-neutral core: the request and reply
// model, the Chat interface for outbound operations, the router with its
// permissions and middleware, coded errors and the durable-timer scheduler.
// It imports no chat SDK and no database driver.
package bot

import (
	"errors"
	"fmt"
)

// Code classifies an error for the person who caused it.
type Code string

// Error codes. A coded error's message is safe to show to the sender; any
// other error is logged and shown as an internal error.
const (
	EInvalid     Code = "invalid"     // bad input: the sender can fix it
	ENotFound    Code = "not_found"   // the thing named does not exist
	EForbidden   Code = "forbidden"   // the sender lacks the role
	EConflict    Code = "conflict"    // the state does not allow it (already done, duplicate)
	EUnavailable Code = "unavailable" // a dependency is down; try again
	EInternal    Code = "internal"
)

// Error is an error with a code and a message meant for people.
type Error struct {
	Code    Code
	Message string
	Err     error // optional cause, for logs
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a coded error whose message is shown to the sender. Text
// arguments are usually the sender's own input: each is shortened to
// MaxEcho characters (see Excerpt), so a reply never echoes a huge input.
func Errorf(code Code, format string, args ...any) error {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = Excerpt(s)
		}
	}
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Unavailable wraps a dependency failure so that the sender is told plainly
// that nothing was recorded and to try again.
func Unavailable(what string, err error) error {
	return &Error{Code: EUnavailable, Message: what + " is unavailable right now; nothing was changed, please try again", Err: err}
}

// ErrorCode returns the code of the first coded error in err's chain, or
// EInternal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of a coded error, or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "internal error"
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code Code) bool { return ErrorCode(err) == code }
