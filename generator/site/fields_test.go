package site

import "testing"

// TestLabel checks the labels of field names, asked for twice: the second
// time they come from what the first made.
func TestLabel(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"lastRestoreTest", "Last restore test"},
		{"hostname", "Hostname"},
		{"rto", "RTO"},
		{"accountId", "Account ID"},
		{"maxUploadMB", "Max upload m b"},
		{"éclair", "Éclair"},
	} {
		for range 2 {
			if got := Label(tc.key); got != tc.want {
				t.Errorf("Label(%q) = %q, want %q", tc.key, got, tc.want)
			}
		}
	}
}
