package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// plain renders src as goldmark would when it is plain text, and reports
// whether it was: paragraphs of lines, or a tight list of "- " items,
// whose text holds nothing Markdown, its GFM extensions or HTML would
// read (emphasis, code, links, URLs, e-mail addresses, entities, tags,
// headings, other lists). Most descriptions and notes a consultancy writes
// are such text, and parsing them was a tenth of a large build's CPU. What
// plain refuses goes to goldmark; FuzzPlainIsGoldmark holds what it
// accepts to goldmark's output.
func plain(src string) (string, bool) {
	if src == "" || !utf8.ValidString(src) || !plainChars(src) {
		return "", false
	}
	lines := strings.Split(strings.TrimRight(src, "\n"), "\n")
	var b strings.Builder
	b.Grow(len(src) + 32)
	prevList := false
	for start := 0; start < len(lines); {
		if lines[start] == "" {
			return "", false // more than one blank line, or one first
		}
		end := start
		for end < len(lines) && lines[end] != "" {
			end++
		}
		block := lines[start:end]
		list := strings.HasPrefix(block[0], "- ")
		if list && prevList {
			return "", false // two lists apart: one loose list
		}
		if list {
			b.WriteString("<ul>\n")
		} else {
			b.WriteString("<p>")
		}
		for i, line := range block {
			text, isItem := strings.CutPrefix(line, "- ")
			if isItem != list || !plainLine(text) {
				return "", false
			}
			switch {
			case list:
				b.WriteString("<li>")
				writePlain(&b, text)
				b.WriteString("</li>\n")
			default:
				if i > 0 {
					b.WriteByte('\n')
				}
				writePlain(&b, text)
			}
		}
		if list {
			b.WriteString("</ul>\n")
		} else {
			b.WriteString("</p>\n")
		}
		prevList = list
		start = end + 1
	}
	return b.String(), true
}

// plainChars reports whether src is free of what would make Markdown of
// it: characters with a meaning, URLs (which GFM links) and addresses.
func plainChars(src string) bool {
	for _, r := range src {
		switch {
		case r == '\n' || r == ' ':
		case r < 0x80:
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune(`.,;:'"?()/-%+=$`, r)) {
				return false
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("–—‘’“”€£…·°", r):
		default:
			return false
		}
	}
	return !strings.Contains(src, "://") && !containsWWW(src)
}

// containsWWW reports whether s holds "www." in any case, which goldmark's
// linkify makes a link of. It does not lower s first: that copy was most of
// what rendering plain text allocated.
func containsWWW(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if s[i]|0x20 == 'w' && s[i+1]|0x20 == 'w' && s[i+2]|0x20 == 'w' && s[i+3] == '.' {
			return true
		}
	}
	return false
}

// plainLine reports whether a line of plain text (or a list item's text)
// reads as text where it stands: nothing at its start that begins a
// block, no space at either end.
func plainLine(text string) bool {
	if text == "" || text[0] == ' ' || text[len(text)-1] == ' ' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text)
	switch {
	case r == '(' || r == '\'' || r == '"' || unicode.IsLetter(r):
		return true
	case '0' <= r && r <= '9':
		digits := strings.TrimLeft(text, "0123456789")
		return digits == "" || digits[0] != '.' && digits[0] != ')'
	}
	return false
}

// writePlain writes text escaped as goldmark escapes text: plainText
// lets no <, > or & through, which leaves the quote.
func writePlain(b *strings.Builder, text string) {
	for {
		i := strings.IndexByte(text, '"')
		if i < 0 {
			b.WriteString(text)
			return
		}
		b.WriteString(text[:i])
		b.WriteString("&quot;")
		text = text[i+1:]
	}
}
