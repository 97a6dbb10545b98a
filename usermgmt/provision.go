package usermgmt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/time/rate"
)

// ProvisionOptions tune Provision. The zero value provisions 8 users at a
// time, without a rate limit, skipping users that already exist.
type ProvisionOptions struct {
	// Concurrency is how many users are provisioned at once; zero means 8.
	Concurrency int
	// RateLimit caps how many users start per second; zero means no limit.
	// Starts are spaced evenly (a burst of one), and no one-second window
	// ever sees more than RateLimit starts: a start that a late wake-up
	// would bunch with earlier ones waits until the window allows it, with
	// a margin of two spacings (at most 20 ms) for the checks and the
	// scheduling between a start and its request reaching the network. The
	// rate achieved is that much below RateLimit: about 198 users/s for 200.
	// (Above 16,384 a second only the even spacing applies.)
	RateLimit float64
	// StopOnError stops at the first failure: users not yet started are
	// reported with OutcomeSkipped. By default failures are collected and
	// the rest go on.
	StopOnError bool
	// UpdateExisting updates the names and email of users that already
	// exist (where the directory can update) instead of leaving them as
	// they are.
	UpdateExisting bool
	// Progress, when set, is called after each user, one call at a time.
	Progress func(Progress)
}

// Progress counts what Provision has done so far.
type Progress struct {
	// Total is the number of input users; Done how many have an outcome.
	Total, Done int
	// Created, Updated, Existed, Failed and Skipped count the outcomes.
	Created, Updated, Existed, Failed, Skipped int
}

// Outcome says what Provision did with one user.
type Outcome int

// The outcomes of one provisioned user.
const (
	// OutcomeSkipped: not attempted (StopOnError, or the context ended).
	OutcomeSkipped Outcome = iota
	// OutcomeCreated: the user was created.
	OutcomeCreated
	// OutcomeUpdated: the user existed and was updated (UpdateExisting).
	OutcomeUpdated
	// OutcomeExisted: the user existed before and was left as it was
	// (nothing differed, or UpdateExisting was not set). A row repeating
	// an earlier row's natural key is reported so too.
	OutcomeExisted
	// OutcomeFailed: the attempt failed; Err says why.
	OutcomeFailed
)

var outcomeNames = [...]string{"skipped", "created", "updated", "existed", "failed"}

// String returns the outcome's name, e.g. "created".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// ProvisionResult is what happened to one input user.
type ProvisionResult struct {
	// Index is the user's position in the input, from 0.
	Index int
	// Key is the user's natural key (username, or email).
	Key string
	// Outcome says what was done.
	Outcome Outcome
	// User is the user as the directory returned it, when it did.
	User *User
	// Err is set for OutcomeFailed and OutcomeSkipped.
	Err error
}

// Provision creates, or finds, every user of users in dir, with bounded
// concurrency and an optional rate limit, and returns one result per input
// user, in input order. It first lists dir once to learn which users exist,
// so re-running it after a crash or a cancellation creates only the users
// still missing; a user created meanwhile by someone else is reported as
// existed (the Directory's CreateUser answers a *ConflictError). Rows that
// repeat an earlier row's natural key are not sent: they are reported as
// existed, with the earlier row's user, or failed with its error.
//
// Only items that need a write wait for the rate limit. Messages number
// items from 1, as a person counts rows. The error is non-nil when any user
// failed or was skipped; the results say which. When ctx is cancelled the
// error matches context.Canceled (or the context's cause).
func Provision(ctx context.Context, dir *Directory, users []CreateUserInput, opts *ProvisionOptions) ([]ProvisionResult, error) {
	if dir == nil || ctx == nil || dir.tracer == nil && dir.metrics == nil {
		return provision(ctx, dir, users, opts)
	}
	var span trace.Span
	if dir.tracer != nil {
		ctx, span = dir.startSpan(ctx, "Provision")
		span.SetAttributes(attribute.Int("usermgmt.items", len(users)))
	}
	results, err := provision(ctx, dir, users, opts)
	endSpan(span, err)
	if dir.metrics != nil {
		for i := range results {
			dir.countItem(ctx, dir.metrics.provisionItems, results[i].Outcome.String())
		}
	}
	return results, err
}

func provision(ctx context.Context, dir *Directory, users []CreateUserInput, opts *ProvisionOptions) ([]ProvisionResult, error) {
	var o ProvisionOptions
	if opts != nil {
		o = *opts
	}
	if o.Concurrency == 0 {
		o.Concurrency = 8
	}
	if dir == nil {
		return nil, &InputError{Provider: "usermgmt", Operation: "Provision", Field: "dir", Reason: "must not be nil"}
	}
	if ctx == nil {
		return nil, &InputError{Provider: dir.Provider(), Operation: "Provision", Field: "ctx", Reason: "must not be nil (use context.Background())"}
	}
	if o.Concurrency < 0 || o.RateLimit < 0 {
		return nil, &InputError{Provider: dir.Provider(), Operation: "Provision", Field: "options", Reason: "Concurrency and RateLimit must not be negative"}
	}
	results := make([]ProvisionResult, len(users))
	first := make(map[string]int, len(users)) // natural key -> index of its first row
	dupOf := make([]int, len(users))          // index of the row repeated, or -1
	for i, u := range users {
		results[i] = ProvisionResult{Index: i, Key: u.NaturalKey(), Err: context.Canceled}
		dupOf[i] = -1
		if results[i].Key == "" {
			results[i].Outcome, results[i].Err = OutcomeFailed, &InputError{Provider: dir.Provider(), Operation: "Provision", Field: "Username", Reason: fmt.Sprintf("user %d has neither Username nor Email", i+1)}
			continue
		}
		k := normKey(results[i].Key)
		if j, ok := first[k]; ok {
			dupOf[i] = j
			continue
		}
		first[k] = i
	}
	existing, err := existingUsers(ctx, dir)
	if err != nil {
		return results, fmt.Errorf("usermgmt: Provision: listing existing users: %w", err)
	}

	parent := ctx
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var gate *startGate
	if o.RateLimit > 0 {
		gate = newStartGate(o.RateLimit)
	}
	p := &progress{fn: o.Progress, Progress: Progress{Total: len(users)}}
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(o.Concurrency, max(len(users), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r := &results[i]
				ictx, span := dir.itemSpan(ctx, "Provision.user")
				provisionOne(ictx, dir, users[i], existing[normKey(r.Key)], &o, gate, r)
				endItem(span, r.Outcome.String(), r.Err, r.Outcome == OutcomeFailed)
				p.add(r.Outcome)
				if r.Outcome == OutcomeFailed && o.StopOnError {
					stop()
				}
			}
		}()
	}
feed:
	for i := range users {
		if results[i].Outcome == OutcomeFailed || dupOf[i] >= 0 { // known before starting, or settled by its first row
			if dupOf[i] < 0 {
				p.add(OutcomeFailed)
				if o.StopOnError {
					stop()
				}
			}
			continue
		}
		select {
		case work <- i:
		case <-ctx.Done():
			for j := i; j < len(users); j++ {
				if results[j].Outcome != OutcomeFailed && dupOf[j] < 0 {
					results[j].Outcome, results[j].Err = OutcomeSkipped, context.Cause(ctx)
					p.add(OutcomeSkipped)
				}
			}
			break feed
		}
	}
	close(work)
	wg.Wait()
	for i, j := range dupOf {
		if j < 0 {
			continue
		}
		r, f := &results[i], &results[j]
		switch f.Outcome {
		case OutcomeCreated, OutcomeUpdated, OutcomeExisted:
			r.Outcome, r.User, r.Err = OutcomeExisted, f.User, nil
		default:
			r.Outcome, r.Err = f.Outcome, fmt.Errorf("user %d repeats user %d (%s), which was not provisioned: %w", i+1, j+1, f.Key, f.Err)
		}
		p.add(r.Outcome)
	}

	var failed, skipped int
	for i := range results {
		switch results[i].Outcome {
		case OutcomeFailed:
			failed++
		case OutcomeSkipped:
			skipped++
		default:
			results[i].Err = nil
		}
	}
	if failed+skipped == 0 {
		return results, nil
	}
	err = fmt.Errorf("usermgmt: Provision: %d of %d users failed and %d were skipped", failed, len(users), skipped)
	if cause := context.Cause(parent); cause != nil {
		err = fmt.Errorf("%w: %w", err, cause) // the caller's cancellation, matchable with errors.Is
	}
	return results, err
}

func provisionOne(ctx context.Context, dir *Directory, in CreateUserInput, found *User, o *ProvisionOptions, gate *startGate, r *ProvisionResult) {
	r.Err = nil
	// Each user is its own logical create: a key the caller set on ctx
	// must not make the server answer every create with the first.
	ctx = WithIdempotencyKey(ctx, "")
	if found == nil {
		if !waitGate(ctx, gate, r) {
			return
		}
		u, err := dir.CreateUser(ctx, in)
		var ce *ConflictError
		switch {
		case errors.As(err, &ce) && ce.Existing != nil:
			found = ce.Existing // created meanwhile by someone else: update below, or leave it
		case err != nil:
			r.Outcome, r.Err = OutcomeFailed, err
			// Cancelled before anything was sent: skipped. Cancelled while
			// the create was in flight, its outcome is unknown: failed, with
			// the error saying so; a re-run settles it.
			if ctx.Err() != nil && errors.Is(err, context.Canceled) && !errors.Is(err, ErrOutcomeUnknown) {
				r.Outcome = OutcomeSkipped
			}
			return
		default:
			r.Outcome, r.User = OutcomeCreated, u
			return
		}
	}
	change, differs := changes(in, found, dir.Capabilities())
	if !o.UpdateExisting || !differs {
		r.Outcome, r.User = OutcomeExisted, found
		return
	}
	if !waitGate(ctx, gate, r) {
		return
	}
	u, err := dir.UpdateUser(ctx, found.ID, change)
	if err != nil {
		r.Outcome, r.Err = OutcomeFailed, err
		return
	}
	r.Outcome, r.User = OutcomeUpdated, u
}

// waitGate waits for the rate limit before a write; false means the
// context ended first and r says so.
func waitGate(ctx context.Context, gate *startGate, r *ProvisionResult) bool {
	if gate == nil {
		return true
	}
	if err := gate.wait(ctx); err != nil {
		r.Outcome, r.Err = OutcomeSkipped, context.Cause(ctx)
		return false
	}
	return true
}

// changes returns the update that makes found match in: only the fields in
// sets that differ from found and that the directory can change, so that an
// API that cannot change a field (an email, say) is not asked to.
func changes(in CreateUserInput, found *User, caps Capabilities) (UpdateUserInput, bool) {
	var u UpdateUserInput
	set := func(field, want, have string, fold bool) *string {
		if want == "" || want == have || fold && strings.EqualFold(want, have) || !caps.CanUpdate(field) {
			return nil
		}
		return &want
	}
	u.Email = set("Email", in.Email, found.Email, true)
	u.Name = set("Name", in.FullName(), found.Name, false)
	u.FirstName = set("FirstName", in.FirstName, found.FirstName, false)
	u.LastName = set("LastName", in.LastName, found.LastName, false)
	return u, u.Email != nil || u.Name != nil || u.FirstName != nil || u.LastName != nil
}

// existingUsers lists dir once, indexing users by username and by email.
func existingUsers(ctx context.Context, dir *Directory) (map[string]*User, error) {
	out := map[string]*User{}
	for u, err := range dir.ListUsers(ctx, nil) {
		if err != nil {
			return nil, err
		}
		u := u
		for _, k := range []string{u.Username, u.Email} {
			if k != "" {
				out[normKey(k)] = &u
			}
		}
	}
	return out, nil
}

func normKey(k string) string { return strings.ToLower(strings.TrimSpace(k)) }

type progress struct {
	mu sync.Mutex
	fn func(Progress)
	Progress
}

func (p *progress) add(o Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Done++
	switch o {
	case OutcomeCreated:
		p.Created++
	case OutcomeUpdated:
		p.Updated++
	case OutcomeExisted:
		p.Existed++
	case OutcomeFailed:
		p.Failed++
	case OutcomeSkipped:
		p.Skipped++
	}
	if p.fn != nil {
		p.fn(p.Progress)
	}
}

// startGate lets users start at a rate per second. A rate.Limiter with a
// burst of one spaces the starts evenly, but it schedules them: a worker
// that wakes late starts late, and the next one, on time, can start less
// than the spacing after it, which lets a one-second window see one start
// too many. The gate also remembers the last starts (as many as a second
// may hold) and holds a start back until the one that many places before
// it is a second old, plus a margin.
type startGate struct {
	limiter *rate.Limiter
	window  time.Duration

	mu     sync.Mutex
	recent []time.Time // ring of the last starts; recent[next] is the oldest
	next   int
}

// maxWindowStarts bounds the memory of the last starts: above this rate
// the limiter's spacing alone applies.
const maxWindowStarts = 1 << 14

func newStartGate(perSecond float64) *startGate {
	g := &startGate{limiter: rate.NewLimiter(rate.Limit(perSecond), 1)}
	if perSecond <= maxWindowStarts {
		g.recent = make([]time.Time, max(1, int(perSecond)))
		g.window = time.Second + min(2*time.Duration(float64(time.Second)/perSecond), 20*time.Millisecond)
	}
	return g
}

// wait blocks until one more user may start, or ctx ends.
func (g *startGate) wait(ctx context.Context) error {
	if err := g.limiter.Wait(ctx); err != nil || len(g.recent) == 0 {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if oldest := g.recent[g.next]; !oldest.IsZero() {
		if d := g.window - time.Since(oldest); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	g.recent[g.next] = time.Now()
	g.next = (g.next + 1) % len(g.recent)
	return nil
}
