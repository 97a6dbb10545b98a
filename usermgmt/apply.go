package usermgmt

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// ErrMassRemoval reports a plan that Apply refused because it would remove
// or deactivate more of a directory than ApplyOptions allow; see
// MassRemovalError.
var ErrMassRemoval = errors.New("usermgmt: plan removes too many users")

// MassRemovalError is the error of an Apply refused by its safety guard:
// nothing was applied. It matches ErrMassRemoval.
type MassRemovalError struct {
	Directory string
	// Removals counts the users the plan removes or deactivates; Listed
	// those the directory held when planned.
	Removals, Listed int
	// MaxShare is the share allowed.
	MaxShare float64
}

// Error implements error.
func (e *MassRemovalError) Error() string {
	return fmt.Sprintf("usermgmt: Apply: the plan for %s removes or deactivates %d of %d users, more than %.4g%% of them; nothing was applied (set ApplyOptions.AllowMassRemoval or MaxRemovalShare to apply it)",
		e.Directory, e.Removals, e.Listed, e.MaxShare*100)
}

// Is reports whether target is ErrMassRemoval.
func (e *MassRemovalError) Is(target error) bool { return target == ErrMassRemoval }

// DefaultMaxRemovalShare is the share of a directory a plan may remove or
// deactivate unless ApplyOptions say otherwise.
const DefaultMaxRemovalShare = 0.10

// ApplyOptions tune Apply. The zero value applies 8 items at a time,
// without a rate limit, and refuses a plan that removes or deactivates
// more than a tenth of the directory.
type ApplyOptions struct {
	// Concurrency is how many items are applied at once; zero means 8.
	Concurrency int
	// RateLimit caps how many items start per second (as
	// ProvisionOptions.RateLimit); zero means no limit.
	RateLimit float64
	// DryRun checks every item (re-reading its user) and reports what
	// would be done, writing nothing.
	DryRun bool
	// MaxRemovalShare is the share of the users listed when planning that
	// the plan may remove or deactivate (0.1 is a tenth); zero means
	// DefaultMaxRemovalShare. A plan above it is refused with a
	// *MassRemovalError and nothing is applied: an empty or truncated
	// source of desired users must never wipe a directory.
	MaxRemovalShare float64
	// AllowMassRemoval turns that guard off.
	AllowMassRemoval bool
	// StopOnError stops at the first failure; items not yet started are
	// reported ItemSkipped.
	StopOnError bool
	// Progress, when set, is called after each item, one call at a time.
	Progress func(ApplyProgress)
	// Password returns the initial password of a create whose plan has
	// none, as a plan read back from JSON has not: passwords are never
	// encoded. When nil, such a create is made without a password.
	Password func(key string) (Secret, error)
}

// ApplyProgress counts what Apply has done so far with the items that
// change something (ActionNone items are not counted).
type ApplyProgress struct {
	Total, Done               int
	Created, Updated, Removed int
	Stale, Failed, Skipped    int
	// DryRun counts the items checked in a dry run.
	DryRun int
}

// ItemOutcome says what Apply did with one plan item.
type ItemOutcome int

// The outcomes of one plan item.
const (
	// ItemSkipped: not attempted (StopOnError, or the context ended).
	ItemSkipped ItemOutcome = iota
	// ItemApplied: the item's action was done.
	ItemApplied
	// ItemStale: the user changed since the plan was made (or a user to
	// create exists already); nothing was written. Plan again.
	ItemStale
	// ItemFailed: a write failed; Err says why. Part of an update may
	// have been applied.
	ItemFailed
	// ItemDryRun: checked and would be applied (ApplyOptions.DryRun).
	ItemDryRun
	// ItemUnchanged: the item has nothing to apply (ActionNone).
	ItemUnchanged
)

var itemOutcomeNames = [...]string{"skipped", "applied", "stale", "failed", "dry-run", "unchanged"}

// String returns the outcome's name, e.g. "applied".
func (o ItemOutcome) String() string {
	if int(o) < len(itemOutcomeNames) {
		return itemOutcomeNames[o]
	}
	return fmt.Sprintf("ItemOutcome(%d)", int(o))
}

// ApplyResult is what happened to one plan item.
type ApplyResult struct {
	// Index is the item's position in the plan.
	Index   int
	Key     string
	Action  Action
	Outcome ItemOutcome
	// Reason says why an item is stale.
	Reason string
	// User is the user as the directory last returned it, when it did.
	User *User
	// Err is set for ItemFailed and ItemSkipped.
	Err error
}

// Apply carries out plan in dir, with bounded concurrency and an optional
// rate limit, and returns one result per item, in plan order.
//
// Before its first write to an existing user, an item re-reads it
// (GetUser) and compares it with the fingerprint taken when planned: a user
// changed meanwhile is left alone and reported ItemStale with the reason.
// Creates go through dir.CreateUser, which is exactly-once; a user that
// exists already is reported ItemStale. An update does UpdateUser, then
// SetRoles, then SetActive, each only when the plan changes its fields.
//
// A plan that removes or deactivates more than ApplyOptions.MaxRemovalShare
// of the directory is refused before anything is sent (*MassRemovalError).
// The error is also non-nil when any item failed, was stale or skipped;
// re-planning and applying again converges.
func Apply(ctx context.Context, dir *Directory, plan *DirectoryPlan, opts *ApplyOptions) ([]ApplyResult, error) {
	if dir == nil || ctx == nil || dir.tracer == nil && dir.metrics == nil {
		return apply(ctx, dir, plan, opts)
	}
	var span trace.Span
	if dir.tracer != nil {
		ctx, span = dir.startSpan(ctx, "Apply")
		if plan != nil {
			span.SetAttributes(attribute.Int("usermgmt.items", len(plan.Items)))
		}
	}
	results, err := apply(ctx, dir, plan, opts)
	endSpan(span, err)
	if dir.metrics != nil {
		for i := range results {
			dir.countItem(ctx, dir.metrics.applyItems, results[i].Outcome.String())
		}
	}
	return results, err
}

func apply(ctx context.Context, dir *Directory, plan *DirectoryPlan, opts *ApplyOptions) ([]ApplyResult, error) {
	var o ApplyOptions
	if opts != nil {
		o = *opts
	}
	if err := checkApply(dir, plan, &o); err != nil {
		return nil, err
	}
	if err := guard(plan, &o); err != nil {
		return nil, err
	}
	return applyItems(ctx, dir, plan, &o)
}

func checkApply(dir *Directory, plan *DirectoryPlan, o *ApplyOptions) error {
	bad := func(field, reason string) error {
		return &InputError{Provider: "usermgmt", Operation: "Apply", Field: field, Reason: reason}
	}
	switch {
	case plan == nil:
		return bad("plan", "must not be nil")
	case plan.Format != PlanFormat:
		return bad("plan", fmt.Sprintf("format %q is not %q", plan.Format, PlanFormat))
	case plan.Provider != dir.Provider():
		return bad("plan", fmt.Sprintf("made for %q, not for this %q directory", plan.Provider, dir.Provider()))
	case o.Concurrency < 0 || o.RateLimit < 0 || o.MaxRemovalShare < 0:
		return bad("options", "Concurrency, RateLimit and MaxRemovalShare must not be negative")
	}
	return nil
}

// guard refuses a plan that removes too much.
func guard(plan *DirectoryPlan, o *ApplyOptions) error {
	if o.AllowMassRemoval {
		return nil
	}
	share := o.MaxRemovalShare
	if share == 0 {
		share = DefaultMaxRemovalShare
	}
	n := 0
	for i := range plan.Items {
		if plan.Items[i].deactivates() {
			n++
		}
	}
	if n > 0 && float64(n) > share*float64(plan.Listed) {
		name := plan.Name
		if name == "" {
			name = plan.Provider
		}
		return &MassRemovalError{Directory: name, Removals: n, Listed: plan.Listed, MaxShare: share}
	}
	return nil
}

func applyItems(ctx context.Context, dir *Directory, plan *DirectoryPlan, o *ApplyOptions) ([]ApplyResult, error) {
	if o.Concurrency == 0 {
		o.Concurrency = 8
	}
	results := make([]ApplyResult, len(plan.Items))
	for i := range plan.Items {
		results[i] = ApplyResult{Index: i, Key: plan.Items[i].Key, Action: plan.Items[i].Action, Err: context.Canceled}
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var gate *startGate
	if o.RateLimit > 0 {
		gate = newStartGate(o.RateLimit)
	}
	actions := 0
	for i := range plan.Items {
		if plan.Items[i].Action != ActionNone {
			actions++
		}
	}
	p := &applyProgress{fn: o.Progress, ApplyProgress: ApplyProgress{Total: actions}}
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(o.Concurrency, max(len(plan.Items), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r := &results[i]
				if gate != nil {
					if err := gate.wait(ctx); err != nil {
						r.Outcome, r.Err = ItemSkipped, err
						p.add(r)
						continue
					}
				}
				ictx, span := dir.itemSpan(ctx, "Apply.item")
				applyItem(ictx, dir, &plan.Items[i], o, r)
				endItem(span, r.Outcome.String(), r.Err, r.Outcome == ItemFailed)
				p.add(r)
				if r.Outcome == ItemFailed && o.StopOnError {
					stop()
				}
			}
		}()
	}
feed:
	for i := range plan.Items {
		if plan.Items[i].Action == ActionNone {
			results[i].Outcome, results[i].Err = ItemUnchanged, nil
			continue
		}
		select {
		case work <- i:
		case <-ctx.Done():
			for j := i; j < len(plan.Items); j++ {
				if plan.Items[j].Action == ActionNone {
					results[j].Outcome, results[j].Err = ItemUnchanged, nil
					continue
				}
				results[j].Outcome, results[j].Err = ItemSkipped, context.Cause(ctx)
				p.add(&results[j])
			}
			break feed
		}
	}
	close(work)
	wg.Wait()

	var failed, stale, skipped int
	for i := range results {
		switch results[i].Outcome {
		case ItemFailed:
			failed++
		case ItemStale:
			stale++
		case ItemSkipped:
			skipped++
		}
	}
	if failed+stale+skipped > 0 {
		return results, fmt.Errorf("usermgmt: Apply: of %d items, %d failed, %d were stale and %d were skipped; plan again and apply to converge",
			len(results), failed, stale, skipped)
	}
	return results, nil
}

func applyItem(ctx context.Context, dir *Directory, it *PlanItem, o *ApplyOptions, r *ApplyResult) {
	r.Err = nil
	fail := func(err error) {
		r.Outcome, r.Err = ItemFailed, err
		// Cancelled before anything was sent: skipped, not failed.
		if ctx.Err() != nil && errors.Is(err, context.Canceled) && !errors.Is(err, ErrOutcomeUnknown) {
			r.Outcome = ItemSkipped
		}
	}
	if it.Action == ActionCreate {
		in, err := createInput(it, o)
		if err != nil {
			fail(err)
			return
		}
		if o.DryRun {
			r.Outcome = ItemDryRun
			return
		}
		// Each create is its own logical call: a key the caller set on
		// ctx must not make the server answer every create with the first.
		u, err := dir.CreateUser(WithIdempotencyKey(ctx, ""), in)
		var ce *ConflictError
		switch {
		case errors.As(err, &ce):
			r.Outcome, r.User, r.Reason = ItemStale, ce.Existing, "the user exists already: created since the plan was made"
		case err != nil:
			fail(err)
		default:
			r.Outcome, r.User = ItemApplied, u
		}
		return
	}
	cur, err := dir.GetUser(ctx, it.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		r.Outcome, r.Reason = ItemStale, "the user no longer exists"
		return
	case err != nil:
		fail(fmt.Errorf("re-reading the user before writing: %w", err))
		return
	case Fingerprint(cur) != it.Fingerprint:
		r.Outcome, r.User, r.Reason = ItemStale, cur, "the user changed since the plan was made"
		return
	case o.DryRun:
		r.Outcome, r.User = ItemDryRun, cur
		return
	}
	r.User = cur
	if it.Action == ActionRemove {
		switch it.RemoveBy {
		case RemoveByDeactivate:
			u, err := dir.SetActive(ctx, it.ID, false)
			if err != nil {
				fail(err)
				return
			}
			r.User = u
		default:
			if err := dir.DeleteUser(ctx, it.ID); errors.Is(err, ErrNotFound) {
				r.Outcome, r.User, r.Reason = ItemStale, nil, "the user no longer exists"
				return
			} else if err != nil {
				fail(err)
				return
			}
			r.User = nil
		}
		r.Outcome = ItemApplied
		return
	}
	var in UpdateUserInput
	for _, c := range it.Changes {
		v := c.New
		switch c.Field {
		case FieldEmail:
			in.Email = &v
		case FieldName:
			in.Name = &v
		case FieldFirstName:
			in.FirstName = &v
		case FieldLastName:
			in.LastName = &v
		}
	}
	if in != (UpdateUserInput{}) {
		u, err := dir.UpdateUser(ctx, it.ID, in)
		if err != nil {
			fail(err)
			return
		}
		r.User = u
	}
	if c := it.change(FieldRoles); c != nil {
		roles := c.NewRoles
		if roles == nil {
			roles = []string{}
		}
		u, err := dir.SetRoles(ctx, it.ID, roles)
		if err != nil {
			fail(err)
			return
		}
		r.User = u
	}
	if c := it.change(FieldActive); c != nil {
		u, err := dir.SetActive(ctx, it.ID, c.New == "true")
		if err != nil {
			fail(err)
			return
		}
		r.User = u
	}
	r.Outcome = ItemApplied
}

// createInput builds the create of a plan item.
func createInput(it *PlanItem, o *ApplyOptions) (CreateUserInput, error) {
	var in CreateUserInput
	for _, c := range it.Changes {
		switch c.Field {
		case FieldUsername:
			in.Username = c.New
		case FieldEmail:
			in.Email = c.New
		case FieldName:
			in.Name = c.New
		case FieldFirstName:
			in.FirstName = c.New
		case FieldLastName:
			in.LastName = c.New
		case FieldActive:
			in.Inactive = c.New == "false"
		case FieldRoles:
			in.Roles = append([]string(nil), c.NewRoles...)
		case FieldExternalID:
			setExternalID(&in, c.New)
		case FieldPassword:
			in.Password = it.Password
			if in.Password.IsZero() && o.Password != nil {
				pw, err := o.Password(it.Key)
				if err != nil {
					return in, fmt.Errorf("usermgmt: Apply: the password of %q: %w", it.Key, err)
				}
				in.Password = pw
			}
		}
	}
	return in, nil
}

type applyProgress struct {
	mu sync.Mutex
	fn func(ApplyProgress)
	ApplyProgress
}

func (p *applyProgress) add(r *ApplyResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.Done++
	switch r.Outcome {
	case ItemApplied:
		switch r.Action {
		case ActionCreate:
			p.Created++
		case ActionUpdate:
			p.Updated++
		case ActionRemove:
			p.Removed++
		}
	case ItemStale:
		p.Stale++
	case ItemFailed:
		p.Failed++
	case ItemSkipped:
		p.Skipped++
	case ItemDryRun:
		p.DryRun++
	}
	if p.fn != nil {
		p.fn(p.ApplyProgress)
	}
}

// Target is one directory of PlanAll and ApplyAll, with the name that
// labels its section of a MultiPlan.
type Target struct {
	Name string
	Dir  *Directory
}

// PlanAll plans one desired roster against several directories: Plan for
// each target, in order. Names must be unique and non-empty; they label
// the sections.
func PlanAll(ctx context.Context, targets []Target, desired []DesiredUser, opts *PlanOptions) (*MultiPlan, error) {
	if err := checkTargets(targets); err != nil {
		return nil, err
	}
	m := &MultiPlan{Format: MultiPlanFormat}
	for _, t := range targets {
		p, err := Plan(ctx, t.Dir, desired, opts)
		if err != nil {
			return nil, fmt.Errorf("usermgmt: PlanAll: %s: %w", t.Name, err)
		}
		p.Name = t.Name
		m.Directories = append(m.Directories, p)
	}
	return m, nil
}

func checkTargets(targets []Target) error {
	seen := map[string]bool{}
	for i, t := range targets {
		if t.Name == "" || seen[t.Name] || t.Dir == nil {
			return &InputError{Provider: "usermgmt", Operation: "PlanAll", Field: "targets",
				Reason: fmt.Sprintf("target %d needs a directory and a unique, non-empty name", i)}
		}
		seen[t.Name] = true
	}
	return nil
}

// DirectoryResult is what ApplyAll did in one directory.
type DirectoryResult struct {
	Name    string
	Results []ApplyResult
	Err     error
}

// ApplyAll applies each section of plan to the target of the same name,
// one directory after the other. Every section passes the safety guard
// before anything is applied anywhere: one refused section refuses the
// whole plan. The error is non-nil when any directory's Apply failed.
func ApplyAll(ctx context.Context, targets []Target, plan *MultiPlan, opts *ApplyOptions) ([]DirectoryResult, error) {
	var o ApplyOptions
	if opts != nil {
		o = *opts
	}
	if err := checkTargets(targets); err != nil {
		return nil, err
	}
	if plan == nil || plan.Format != MultiPlanFormat {
		return nil, &InputError{Provider: "usermgmt", Operation: "ApplyAll", Field: "plan", Reason: "must be a MultiPlan of format " + MultiPlanFormat}
	}
	byName := map[string]*Directory{}
	for _, t := range targets {
		byName[t.Name] = t.Dir
	}
	for _, p := range plan.Directories {
		d, ok := byName[p.Name]
		if !ok {
			return nil, &InputError{Provider: "usermgmt", Operation: "ApplyAll", Field: "targets", Reason: fmt.Sprintf("no target named %q", p.Name)}
		}
		if err := checkApply(d, p, &o); err != nil {
			return nil, err
		}
		if err := guard(p, &o); err != nil {
			return nil, err
		}
	}
	var out []DirectoryResult
	var errs []error
	for _, p := range plan.Directories {
		oo := o
		rs, err := applyItems(ctx, byName[p.Name], p, &oo)
		out = append(out, DirectoryResult{Name: p.Name, Results: rs, Err: err})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
		}
	}
	return out, errors.Join(errs...)
}
