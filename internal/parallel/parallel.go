// Package parallel runs the independent pieces of a stage (files to parse,
// documents to check) on every core, in one bounded pool, so that stages
// need not each write their own.
package parallel

import (
	"runtime"
	"sync"
)

// Do calls f(0), …, f(n-1) on GOMAXPROCS goroutines and returns when all
// are done. f must only write to what belongs to its index, so that the
// caller can assemble the results in order.
func Do(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
