package transport

import (
	"context"
	"errors"
	"testing"
	"time"
)

// bounded returns what each scenario runs on: a boundCtx, or the context
// package's timer context that it stands for.
type bounded func(parent context.Context, d time.Duration) (context.Context, func())

func boundedBoth() map[string]bounded {
	return map[string]bounded{
		"boundCtx": func(parent context.Context, d time.Duration) (context.Context, func()) {
			c := &boundCtx{}
			c.start(parent, d, causeKeyOf())
			return c, c.release
		},
		"context.WithTimeout": func(parent context.Context, d time.Duration) (context.Context, func()) {
			return context.WithTimeout(parent, d)
		},
	}
}

// TestBoundCtxBehavesAsWithTimeout holds boundCtx to context.WithTimeout:
// the same Err and Cause, for it and for a child (as net/http derives from
// every request's context) and an AfterFunc, when the deadline passes, when
// the call is over, and when the parent is cancelled first.
func TestBoundCtxBehavesAsWithTimeout(t *testing.T) {
	t.Parallel()
	cause := errors.New("the caller gave up")
	for _, sc := range []struct {
		name      string
		d         time.Duration
		end       func(ctx context.Context, parentCancel context.CancelCauseFunc, release func())
		wantErr   error
		wantCause error
	}{
		{"deadline passes", 20 * time.Millisecond, func(context.Context, context.CancelCauseFunc, func()) {}, context.DeadlineExceeded, context.DeadlineExceeded},
		{"call over", time.Hour, func(_ context.Context, _ context.CancelCauseFunc, release func()) { release() }, context.Canceled, context.Canceled},
		{"parent cancelled", time.Hour, func(_ context.Context, cancel context.CancelCauseFunc, _ func()) { cancel(cause) }, context.Canceled, cause},
		{"deadline passes, then the parent is cancelled", 20 * time.Millisecond, func(ctx context.Context, cancel context.CancelCauseFunc, _ func()) {
			<-ctx.Done()
			cancel(cause)
		}, context.DeadlineExceeded, context.DeadlineExceeded},
	} {
		for name, newBound := range boundedBoth() {
			t.Run(sc.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				parent, parentCancel := context.WithCancelCause(context.WithValue(context.Background(), callKey{}, "v"))
				defer parentCancel(nil)
				ctx, release := newBound(parent, sc.d)
				defer release()
				if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > sc.d {
					t.Errorf("Deadline() = %v, %v; want within %v", dl, ok, sc.d)
				}
				if ctx.Value(callKey{}) != "v" {
					t.Error("the parent's value is lost")
				}
				child, cancelChild := context.WithCancel(ctx)
				defer cancelChild()
				ran := make(chan struct{})
				context.AfterFunc(ctx, func() { close(ran) })
				// Only an hour-long bound is sure to be live here: a loaded
				// machine may pass a 20ms deadline before this line (the
				// child and the AfterFunc then start done, which both
				// implementations must handle alike too).
				if sc.d == time.Hour && (ctx.Err() != nil || child.Err() != nil) {
					t.Fatalf("done before the end: %v, %v", ctx.Err(), child.Err())
				}
				sc.end(ctx, parentCancel, release)
				waitDone(t, ctx.Done(), "the context")
				waitDone(t, child.Done(), "the child")
				waitDone(t, ran, "the AfterFunc")
				if err := ctx.Err(); err != sc.wantErr {
					t.Errorf("Err() = %v, want %v", err, sc.wantErr)
				}
				if err := context.Cause(ctx); err != sc.wantCause {
					t.Errorf("Cause() = %v, want %v", err, sc.wantCause)
				}
				if err := child.Err(); err != sc.wantErr {
					t.Errorf("child's Err() = %v, want %v", err, sc.wantErr)
				}
				if err := context.Cause(child); err != sc.wantCause {
					t.Errorf("child's Cause() = %v, want %v", err, sc.wantCause)
				}
			})
		}
	}
}

// TestBoundCtxChildCancelledFirst: a child cancelled before the bound ends
// stops being watched (as net/http cancels its own once a response is read),
// and a later release leaves it as it was.
func TestBoundCtxChildCancelledFirst(t *testing.T) {
	t.Parallel()
	c := &boundCtx{}
	c.start(context.Background(), time.Hour, causeKeyOf())
	child, cancel := context.WithCancelCause(c)
	own := errors.New("request done")
	cancel(own)
	c.mu.Lock()
	live := 0
	for _, f := range c.funcs {
		if f != nil {
			live++
		}
	}
	c.mu.Unlock()
	if live != 0 {
		t.Errorf("%d functions still registered after the child was cancelled", live)
	}
	c.release()
	if err := context.Cause(child); err != own {
		t.Errorf("child's Cause() = %v, want %v", err, own)
	}
}

// TestBoundCtxParentAlreadyDone: a bound on a parent that is already done
// is done too.
func TestBoundCtxParentAlreadyDone(t *testing.T) {
	t.Parallel()
	parent, cancel := context.WithCancel(context.Background())
	cancel()
	c := &boundCtx{}
	c.start(parent, time.Hour, causeKeyOf())
	defer c.release()
	waitDone(t, c.Done(), "the bound")
	if err := c.Err(); err != context.Canceled {
		t.Errorf("Err() = %v, want %v", err, context.Canceled)
	}
}

// TestBoundCtxRaces runs the ends of a bound at once (go test -race):
// the deadline, the release and the parent's cancellation.
func TestBoundCtxRaces(t *testing.T) {
	t.Parallel()
	for range 200 {
		parent, cancel := context.WithCancel(context.Background())
		c := &boundCtx{}
		c.start(parent, time.Microsecond, causeKeyOf())
		child, cancelChild := context.WithCancel(c)
		done := make(chan struct{})
		go func() { c.release(); close(done) }()
		cancel()
		waitDone(t, child.Done(), "the child")
		<-done
		cancelChild()
		if c.Err() == nil {
			t.Fatal("Err() = nil after the bound ended")
		}
	}
}

// waitDone fails the test if ch is not closed within a bound far above
// what closing it takes on a loaded machine.
func waitDone(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
		t.Fatalf("%s is not done", what)
	}
}

// TestCauseKeyOf: the probe finds the key context.Cause uses, so that
// boundCtx can answer it.
func TestCauseKeyOf(t *testing.T) {
	t.Parallel()
	key := causeKeyOf()
	if key == nil {
		t.Fatal("context.Cause asked for no key")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if ctx.Value(key) == nil {
		t.Error("a cancellable context does not answer the key")
	}
	if context.Background().Value(key) != nil {
		t.Error("context.Background answers the key")
	}
}
