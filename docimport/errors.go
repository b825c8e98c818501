package docimport

import (
	"errors"
	"fmt"
)

// InputError is an input that is not what its name says or that is unsafe to read (a
// corrupt archive, a zip bomb, XML with a DOCTYPE, text that is not UTF-8). Nothing should
// be written for it.
type InputError struct {
	Msg string
	Err error
}

func (e *InputError) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *InputError) Unwrap() error { return e.Err }

func inputErrorf(format string, args ...any) *InputError {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

func wrapInput(err error, format string, args ...any) *InputError {
	return &InputError{Msg: fmt.Sprintf(format, args...), Err: err}
}

// IsInputError reports whether err is, or wraps, an *InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
