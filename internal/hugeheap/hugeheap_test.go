package hugeheap

import "testing"

func TestWanted(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		env  func(string) string
		want bool
	}{
		{"build", []string{"handover", "build", ".", "--out", "site"}, env(), true},
		{"validate after a global flag", []string{"handover", "-q", "validate"}, env(), true},
		{"serve", []string{"/usr/bin/handover", "serve"}, env(), true},
		{"version", []string{"handover", "version"}, env(), false},
		{"schema", []string{"handover", "schema", "--out", "s"}, env(), false},
		{"help only", []string{"handover", "--help"}, env(), false},
		{"no arguments", []string{"handover"}, env(), false},
		{"empty", nil, env(), false},
		{"turned off", []string{"handover", "build"}, env("HANDOVER_HUGEPAGES", "0"), false},
		{"turned on explicitly", []string{"handover", "build"}, env("HANDOVER_HUGEPAGES", "1"), true},
		{"GODEBUG disablethp", []string{"handover", "build"}, env("GODEBUG", "gctrace=0, disablethp=1"), false},
		{"GODEBUG other", []string{"handover", "build"}, env("GODEBUG", "disablethp=0"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wanted(tc.args, tc.env); got != tc.want {
				t.Errorf("wanted(%q) = %v, want %v", tc.args, got, tc.want)
			}
		})
	}
}

func TestReserveSize(t *testing.T) {
	const gb = 1 << 30
	for _, tc := range []struct {
		name string
		s    system
		want uint64
	}{
		{"madvise, plenty of memory", system{thpMode: "madvise", overcommit: "0", ram: 23 * gb}, 2 * gb},
		{"a quarter of a small machine", system{thpMode: "madvise", overcommit: "1", ram: 7 * gb}, 7 * gb / 4 &^ (2<<20 - 1)},
		{"memory unknown", system{thpMode: "madvise"}, 2 * gb},
		{"always: the kernel does it already", system{thpMode: "always", ram: 23 * gb}, 0},
		{"never", system{thpMode: "never", ram: 23 * gb}, 0},
		{"no THP in the kernel", system{ram: 23 * gb}, 0},
		{"strict overcommit", system{thpMode: "madvise", overcommit: "2", ram: 23 * gb}, 0},
		{"after a collection", system{thpMode: "madvise", ram: 23 * gb, gcCycles: 1}, 0},
		{"ulimit -v or -d", system{thpMode: "madvise", ram: 23 * gb, limited: true}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := uint64(reserveSize(tc.s)); got != tc.want {
				t.Errorf("reserveSize(%+v) = %d, want %d", tc.s, got, tc.want)
			}
			if got := reserveSize(tc.s); got%(2<<20) != 0 {
				t.Errorf("reserveSize(%+v) = %d, not a multiple of 2 MB", tc.s, got)
			}
		})
	}
}

func TestTHPMode(t *testing.T) {
	for in, want := range map[string]string{
		"always [madvise] never\n": "madvise",
		"[always] madvise never\n": "always",
		"always madvise [never]\n": "never",
		"":                         "",
		"madvise":                  "",
		"] [":                      "",
	} {
		if got := thpMode(in); got != want {
			t.Errorf("thpMode(%q) = %q, want %q", in, got, want)
		}
	}
}
