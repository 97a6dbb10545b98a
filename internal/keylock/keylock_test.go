package keylock

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// TestOneHolderPerKey: goroutines incrementing a counter per key under its
// lock, with a read, a yield point and a write, lose no increment (and
// -race sees no unsynchronised access).
func TestOneHolderPerKey(t *testing.T) {
	t.Parallel()
	var s Set
	counts := map[string]*int{"a": new(int), "b": new(int)}
	const each = 200
	var wg sync.WaitGroup
	for _, key := range []string{"a", "b"} {
		for range 8 {
			wg.Go(func() {
				for range each {
					unlock, err := s.Lock(context.Background(), key)
					if err != nil {
						t.Error(err)
						return
					}
					n := *counts[key]
					ch := make(chan int)
					go func() { ch <- n + 1 }() // let other goroutines run in between
					*counts[key] = <-ch
					unlock()
				}
			})
		}
	}
	wg.Wait()
	for key, n := range counts {
		if *n != 8*each {
			t.Errorf("key %s: %d increments, want %d", key, *n, 8*each)
		}
	}
	if n := s.Len(); n != 0 {
		t.Errorf("%d keys left after every lock was released", n)
	}
}

// TestKeysAreIndependent: holding one key does not block another.
func TestKeysAreIndependent(t *testing.T) {
	t.Parallel()
	var s Set
	ctx := context.Background()
	unlockA, err := s.Lock(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	defer unlockA()
	unlockB, err := s.Lock(ctx, "b") // would block for ever if keys shared a lock
	if err != nil {
		t.Fatal(err)
	}
	unlockB()
}

// TestWaitEndsWithTheContext: a caller waiting for a held key gets its
// context's error when the context ends, holds nothing, and the key is
// dropped once its holder releases it.
func TestWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	var s Set
	unlock, err := s.Lock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() {
		u, err := s.Lock(ctx, "a")
		if err == nil {
			u()
		}
		got <- err
	}()
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Errorf("waiting for a held key: err = %v, want context.Canceled", err)
	}
	unlock()
	unlock() // a second release does nothing
	if n := s.Len(); n != 0 {
		t.Errorf("%d keys left after release", n)
	}
	if _, err := s.Lock(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("a caller already cancelled: err = %v, want context.Canceled", err)
	}
	// The key is free again.
	u, err := s.Lock(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	u()
}
