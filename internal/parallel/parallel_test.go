package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestDoCallsEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		seen := make([]int32, n)
		Do(n, func(i int) { atomic.AddInt32(&seen[i], 1) })
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d called %d times", n, i, c)
			}
		}
	}
}

func TestDoWithGivesEachGoroutineItsState(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		var mu sync.Mutex
		var states []*[]int
		DoWith(n, func() *[]int {
			s := new([]int)
			mu.Lock()
			states = append(states, s)
			mu.Unlock()
			return s
		}, func(s *[]int, i int) { *s = append(*s, i) }) // unsynchronised: -race fails if a state is shared
		if len(states) > max(1, runtime.GOMAXPROCS(0)) {
			t.Errorf("n=%d: %d states for %d goroutines", n, len(states), runtime.GOMAXPROCS(0))
		}
		seen := make([]int, n)
		for _, s := range states {
			for _, i := range *s {
				seen[i]++
			}
		}
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d done %d times", n, i, c)
			}
		}
	}
}
