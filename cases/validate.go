package cases

// FieldError is a problem with one field of a case, named by its JSON path ("entry.lines[2].hts").
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Validate checks a whole case as it arrives from outside (import, seed): identifiers with their check digits,
// the kind's own part present and the others absent, dates in order, money non-negative where it must be, text
// within limits and free of control characters. It returns every problem found, each a *FieldError, in field order.
func Validate(c *Case) []error { panic("unimplemented") }
