package usermgmt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

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
	// a margin of one spacing (at most 10 ms) for the scheduling between a
	// start and its request. The rate achieved is that much below
	// RateLimit: 199.0 users/s for 200. (Above 16,384 a second only the
	// even spacing applies.)
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
	Total, Done                                 int
	Created, Updated, Existing, Failed, Skipped int
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
	// OutcomeExisting: the user existed and was left as it was.
	OutcomeExisting
	// OutcomeFailed: the attempt failed; Err says why.
	OutcomeFailed
)

var outcomeNames = [...]string{"skipped", "created", "updated", "existing", "failed"}

// String returns the outcome's name, e.g. "created".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// ProvisionResult is what happened to one input user.
type ProvisionResult struct {
	// Index is the user's position in the input.
	Index int
	// Key is the user's natural key (username, or email).
	Key     string
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
// still missing; a user created meanwhile by someone else is settled by the
// adapters' exactly-once creates. The error is non-nil when any user failed
// or was skipped; the results say which.
func Provision(ctx context.Context, dir Directory, users []CreateUserInput, opts *ProvisionOptions) ([]ProvisionResult, error) {
	var o ProvisionOptions
	if opts != nil {
		o = *opts
	}
	if o.Concurrency == 0 {
		o.Concurrency = 8
	}
	if o.Concurrency < 0 || o.RateLimit < 0 {
		return nil, &InputError{Provider: "usermgmt", Operation: "Provision", Field: "options", Reason: "Concurrency and RateLimit must not be negative"}
	}
	results := make([]ProvisionResult, len(users))
	for i, u := range users {
		results[i] = ProvisionResult{Index: i, Key: u.NaturalKey(), Err: context.Canceled}
		if results[i].Key == "" {
			results[i].Outcome, results[i].Err = OutcomeFailed, &InputError{Provider: dir.Provider(), Operation: "Provision", Field: "Username", Reason: fmt.Sprintf("user %d has neither Username nor Email", i)}
		}
	}
	existing, err := existingUsers(ctx, dir)
	if err != nil {
		return results, fmt.Errorf("usermgmt: Provision: listing existing users: %w", err)
	}

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
				if gate != nil {
					if err := gate.wait(ctx); err != nil {
						r.Outcome, r.Err = OutcomeSkipped, err
						p.add(r.Outcome)
						continue
					}
				}
				provisionOne(ctx, dir, users[i], existing[normKey(r.Key)], &o, r)
				p.add(r.Outcome)
				if r.Outcome == OutcomeFailed && o.StopOnError {
					stop()
				}
			}
		}()
	}
feed:
	for i := range users {
		if results[i].Outcome == OutcomeFailed { // invalid input, known before starting
			p.add(OutcomeFailed)
			if o.StopOnError {
				stop()
			}
			continue
		}
		select {
		case work <- i:
		case <-ctx.Done():
			for j := i; j < len(users); j++ {
				if results[j].Outcome != OutcomeFailed {
					results[j].Outcome, results[j].Err = OutcomeSkipped, context.Cause(ctx)
				}
				p.add(results[j].Outcome)
			}
			break feed
		}
	}
	close(work)
	wg.Wait()

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
	if failed+skipped > 0 {
		return results, fmt.Errorf("usermgmt: Provision: %d of %d users failed and %d were skipped", failed, len(users), skipped)
	}
	return results, nil
}

func provisionOne(ctx context.Context, dir Directory, in CreateUserInput, found *User, o *ProvisionOptions, r *ProvisionResult) {
	r.Err = nil
	// Each user is its own logical create: a key the caller set on ctx
	// must not make the server answer every create with the first.
	ctx = WithIdempotencyKey(ctx, "")
	switch {
	case found != nil && o.UpdateExisting && dir.Capabilities().Update:
		change, ok := changes(in, found)
		if !ok {
			r.Outcome, r.User = OutcomeExisting, found
			return
		}
		u, err := dir.UpdateUser(ctx, found.ID, change)
		if err != nil {
			r.Outcome, r.Err = OutcomeFailed, err
			return
		}
		r.Outcome, r.User = OutcomeUpdated, u
	case found != nil:
		r.Outcome, r.User = OutcomeExisting, found
	default:
		u, err := dir.CreateUser(ctx, in)
		if err != nil {
			r.Outcome, r.Err = OutcomeFailed, err
			// Cancelled before anything was sent: skipped. Cancelled while
			// the create was in flight, its outcome is unknown: failed, with
			// the error saying so; a re-run settles it.
			if ctx.Err() != nil && errors.Is(err, context.Canceled) && !errors.Is(err, ErrOutcomeUnknown) {
				r.Outcome = OutcomeSkipped
			}
			return
		}
		r.Outcome, r.User = OutcomeCreated, u
	}
}

// changes returns the update that makes found match in: only the fields in
// sets that differ from found, so that an API that cannot change a field
// (an email, say) is not asked to when it already has the right value.
func changes(in CreateUserInput, found *User) (UpdateUserInput, bool) {
	var u UpdateUserInput
	set := func(want, have string, fold bool) *string {
		if want == "" || want == have || fold && strings.EqualFold(want, have) {
			return nil
		}
		return &want
	}
	u.Email = set(in.Email, found.Email, true)
	u.Name = set(in.FullName(), found.Name, false)
	u.FirstName = set(in.FirstName, found.FirstName, false)
	u.LastName = set(in.LastName, found.LastName, false)
	return u, u.Email != nil || u.Name != nil || u.FirstName != nil || u.LastName != nil
}

// existingUsers lists dir once, indexing users by username and by email.
func existingUsers(ctx context.Context, dir Directory) (map[string]*User, error) {
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
	case OutcomeExisting:
		p.Existing++
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
		g.window = time.Second + min(time.Duration(float64(time.Second)/perSecond), 10*time.Millisecond)
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
