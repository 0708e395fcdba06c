package site

import (
	"bytes"
	"testing"
)

// TestTrimBuffer: a render worker keeps its buffer for the next page,
// unless a page of megabytes (the expiry calendar at 50k entities) grew it.
func TestTrimBuffer(t *testing.T) {
	for _, tc := range []struct {
		name string
		page int
		kept bool
	}{
		{"entity page", 20 << 10, true},
		{"client overview", 250 << 10, true},
		{"at the limit", maxKeptBuffer, true},
		{"expiry calendar", 12 << 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			buf.Grow(tc.page)
			buf.Write(make([]byte, tc.page))
			before := buf.Cap()
			trimBuffer(&buf)
			if kept := buf.Cap() == before; kept != tc.kept {
				t.Errorf("page of %d bytes: cap %d -> %d, want kept %v", tc.page, before, buf.Cap(), tc.kept)
			}
			if !tc.kept && buf.Cap() != 0 {
				t.Errorf("cap after trimming = %d, want 0", buf.Cap())
			}
		})
	}
}
