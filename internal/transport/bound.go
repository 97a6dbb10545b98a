package transport

import (
	"context"
	"sync"
	"time"
)

// boundCtx is context.WithTimeout for one Do, kept in the Do's own
// allocation. It differs from the context package's timer context in what
// a child costs, and net/http derives a cancellable child from every
// request's context: a child of a standard cancellable context is recorded
// in a map its parent allocates, while a child of a context with an
// AfterFunc method is recorded through that method, which here appends to
// a small array the boundCtx already holds. Over a loopback round trip the
// difference is 2 to 4 µs a call (BENCHMARKS.md, "The call bound").
//
// It behaves as the timer context does (TestBoundCtxBehavesAsWithTimeout
// holds it to it): Done is closed, and Err says context.DeadlineExceeded,
// once the deadline passes; Err says context.Canceled once the call is over
// (release), and the parent's error once the parent is done first; a child
// gets the same error, and context.Cause the parent's cause when the parent
// ended it, Err otherwise. Value is the parent's.
type boundCtx struct {
	context.Context
	deadline time.Time
	done     chan struct{}
	// causeKey is the key context.Cause looks a cancellation up with (see
	// causeKeyOf).
	causeKey any

	mu    sync.Mutex
	timer *time.Timer
	// stopParent stops the watch on a parent that can be cancelled.
	stopParent func() bool
	err        error
	// byParent records that the parent's end ended the bound.
	byParent bool
	// funcs are the functions registered by AfterFunc, a stopped one nil.
	funcs []func()
	buf   [2]func()
}

// start bounds parent by d. causeKey is the Client's causeKeyOf.
func (c *boundCtx) start(parent context.Context, d time.Duration, causeKey any) {
	c.Context = parent
	c.deadline = time.Now().Add(d)
	c.done = make(chan struct{})
	c.causeKey = causeKey
	c.funcs = c.buf[:0]
	// Under the lock: the timer and the parent's watch may fire before
	// they are recorded, and cancel reads them.
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timer = time.AfterFunc(d, c.expire)
	if parent.Done() != nil {
		c.stopParent = context.AfterFunc(parent, func() { c.cancel(parent.Err(), true) })
	}
}

func (c *boundCtx) expire() { c.cancel(context.DeadlineExceeded, false) }

// release ends the bound when the call is over: the timer is stopped and
// whatever was derived from the context is cancelled.
func (c *boundCtx) release() { c.cancel(context.Canceled, false) }

func (c *boundCtx) cancel(err error, byParent bool) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err, c.byParent = err, byParent
	close(c.done)
	funcs, timer, stopParent := c.funcs, c.timer, c.stopParent
	c.funcs = nil
	c.mu.Unlock()
	timer.Stop()
	if stopParent != nil {
		stopParent()
	}
	// The context package records a child here: cancelling it only locks
	// the child, closes its channel and cancels the child's own children.
	for _, f := range funcs {
		if f != nil {
			f()
		}
	}
}

// Deadline returns the bound's deadline.
func (c *boundCtx) Deadline() (time.Time, bool) { return c.deadline, true }

// Done is closed when the deadline passes, the parent is done or the call
// is over.
func (c *boundCtx) Done() <-chan struct{} { return c.done }

// Err says why Done was closed, nil before.
func (c *boundCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Value is the parent's value for key, except that context.Cause finds no
// cancellation of the parent's once the bound ended the context itself: it
// then answers Err, as for the timer context.
func (c *boundCtx) Value(key any) any {
	if key == c.causeKey && c.causeKey != nil {
		c.mu.Lock()
		own := c.err != nil && !c.byParent
		c.mu.Unlock()
		if own {
			return nil
		}
	}
	return c.Context.Value(key)
}

// AfterFunc arranges for f to run once the context is done, and returns a
// function that stops it from running. The context package calls it to
// record a child context.
func (c *boundCtx) AfterFunc(f func()) func() bool {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	i := len(c.funcs)
	c.funcs = append(c.funcs, f)
	c.mu.Unlock()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.funcs == nil || c.funcs[i] == nil {
			return false
		}
		c.funcs[i] = nil
		return true
	}
}

// causeKeyOf returns the key context.Cause passes to Value to find the
// cancellation that recorded a cause (the context package's own, not
// exported), or nil should a Go release stop asking for one.
func causeKeyOf() any {
	p := &keyProbe{Context: context.Background()}
	_ = context.Cause(p)
	return p.key
}

// keyProbe is a done context that records the last key it was asked for.
type keyProbe struct {
	context.Context
	key any
}

func (p *keyProbe) Err() error { return context.Canceled }

func (p *keyProbe) Value(key any) any {
	p.key = key
	return nil
}
