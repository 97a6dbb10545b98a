// Package keylock serialises work per key: a read-modify-write of one
// user's roles, say, that two goroutines must not interleave, while work
// on other keys goes on. Waiting for a key ends with the caller's context.
package keylock

import (
	"context"
	"sync"
)

// Set is a set of locks, one per key, made when first asked for and
// dropped when nobody holds or waits for it. The zero value is ready to
// use; a Set must not be copied after first use.
type Set struct {
	mu sync.Mutex
	m  map[string]*entry
}

type entry struct {
	ch   chan struct{} // holds a value while the key is locked
	refs int           // holders and waiters
}

// Lock waits until it holds key's lock or ctx ends, whichever is first. It
// returns the function that releases the lock (calls after the first do
// nothing), or ctx's error, holding nothing. A caller whose ctx has already
// ended gets the error without the lock.
func (s *Set) Lock(ctx context.Context, key string) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.m == nil {
		s.m = make(map[string]*entry)
	}
	e := s.m[key]
	if e == nil {
		e = &entry{ch: make(chan struct{}, 1)}
		s.m[key] = e
	}
	e.refs++
	s.mu.Unlock()
	select {
	case e.ch <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-e.ch; s.release(key, e) }) }, nil
	case <-ctx.Done():
		s.release(key, e)
		return nil, ctx.Err()
	}
}

func (s *Set) release(key string, e *entry) {
	s.mu.Lock()
	if e.refs--; e.refs == 0 {
		delete(s.m, key)
	}
	s.mu.Unlock()
}

// Len returns how many keys are locked or waited for.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
