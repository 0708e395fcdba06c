package validate

import (
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// englishPrinter formats the library's own messages, for the error kinds we
// do not word ourselves.
var englishPrinter = message.NewPrinter(language.English)
