package diff

import (
	"fmt"
	"io"
	"strings"
)

// Formats lists the output formats by their --format name, the default
// first.
var Formats = []string{"text", "markdown", "json"}

// Write writes r in the named format; "" is text. The error for an unknown
// name lists the known ones.
func (r Result) Write(w io.Writer, format string) error {
	switch format {
	case "text", "":
		return r.WriteText(w)
	case "markdown":
		return r.WriteMarkdown(w)
	case "json":
		return r.WriteJSON(w)
	}
	return fmt.Errorf("unknown format %q (known: %s)", format, strings.Join(Formats, ", "))
}
