package usermgmt

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/usermgmt-go/sdk/internal/mailaddr"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/usermgmt-go/sdk/usermgmt/driver"
)

// Directory is the provider-neutral view of one API's user accounts, and
// the type every program uses: each provider package's NewDirectory returns
// one over its client, as database/sql's DB sits over a driver.
//
// Every rule that is the same for all APIs lives here, once: input
// validation (syntax of emails, no surrounding spaces, the fields
// Capabilities.Requires names), list filters, page-size clamping, a guard
// against servers whose paging loops, exactly-once creates, create then
// deactivate where an API cannot create inactive users, and one spelling of
// not-found (*NotFoundError), conflict (*ConflictError) and unsupported
// (*UnsupportedError) errors. An operation the API cannot do fails before
// anything is sent; Capabilities says so in advance.
//
// A Directory is safe for concurrent use. The zero value is not usable:
// build one with a provider's NewDirectory, or NewDirectory over a driver.
type Directory struct {
	drv      driver.Driver
	provider string
	traits   driver.Traits
	caps     Capabilities

	updater   driver.Updater
	activator driver.Activator
	deleter   driver.Deleter
	roles     driver.RoleSetter
	finder    driver.Finder

	logger *slog.Logger
	settle time.Duration

	// tracer and metrics are nil unless the options set providers (tp and
	// mp, read once by NewDirectory).
	tp      trace.TracerProvider
	mp      metric.MeterProvider
	tracer  trace.Tracer
	metrics *dirMetrics
}

// DefaultSettleWindow is how long CreateUser keeps looking for a user whose
// create may still be in flight on the server (see Directory.CreateUser).
const DefaultSettleWindow = 10 * time.Second

// maxCreateAttempts bounds how often CreateUser sends a create whose
// earlier attempts were answered by the server and proven not applied.
const maxCreateAttempts = 3

// DirectoryOption sets an option of NewDirectory.
type DirectoryOption func(*Directory)

// WithDirectoryLogger sends the Directory's debug records (how it settled a
// create whose outcome was unknown, why it stopped a listing) to l. Nil,
// the default, logs nothing. Provider constructors pass the client's
// logger.
func WithDirectoryLogger(l *slog.Logger) DirectoryOption {
	return func(d *Directory) { d.logger = l }
}

// WithSettleWindow sets how long CreateUser keeps looking for a user whose
// create may still be in flight after a timeout or a dropped connection,
// before it reports the outcome as unknown (DefaultSettleWindow when not
// set). Zero looks once.
func WithSettleWindow(w time.Duration) DirectoryOption {
	return func(d *Directory) { d.settle = w }
}

// NewDirectory returns the Directory over drv. Provider packages call it
// from their own NewDirectory; a program calls it only for a driver of its
// own (see package driver).
func NewDirectory(drv driver.Driver, opts ...DirectoryOption) (*Directory, error) {
	if drv == nil {
		return nil, &InputError{Provider: "usermgmt", Operation: "NewDirectory", Field: "driver", Reason: "must not be nil"}
	}
	d := &Directory{drv: drv, provider: drv.Provider(), traits: drv.Traits(), settle: DefaultSettleWindow}
	for _, o := range opts {
		if o != nil {
			o(d)
		}
	}
	t := &d.traits
	switch {
	case t.NaturalKey != driver.KeyEmail && t.NaturalKey != driver.KeyUsername:
		return nil, d.input("NewDirectory", "Traits.NaturalKey", fmt.Sprintf("%q is neither %q nor %q", t.NaturalKey, driver.KeyEmail, driver.KeyUsername))
	case t.MinPageSize < 0 || t.MaxPageSize < 0 || t.MaxPageSize > 0 && t.MinPageSize > t.MaxPageSize:
		return nil, d.input("NewDirectory", "Traits page sizes", "must satisfy 0 <= MinPageSize <= MaxPageSize")
	case d.settle < 0:
		return nil, d.input("NewDirectory", "settle window", "must not be negative")
	}
	d.initTelemetry()
	d.updater, _ = drv.(driver.Updater)
	d.activator, _ = drv.(driver.Activator)
	d.deleter, _ = drv.(driver.Deleter)
	d.roles, _ = drv.(driver.RoleSetter)
	d.finder, _ = drv.(driver.Finder)
	d.caps = Capabilities{
		Create: true, Get: true, List: true,
		Update:           d.updater != nil,
		Activate:         d.activator != nil,
		Deactivate:       d.activator != nil,
		Delete:           d.deleter != nil,
		Roles:            d.roles != nil,
		CreateInactive:   t.CreatesInactive || d.activator != nil,
		DeleteMeans:      t.DeleteMeans,
		IdempotentCreate: t.IdempotentCreate,
		NaturalKey:       t.NaturalKey,
		Requires:         slices.Clone(t.Requires),
		MaxPageSize:      t.MaxPageSize,
		ExternalID:       t.ExternalID,
	}
	if d.updater != nil {
		d.caps.UpdateFields = slices.Clone(t.UpdateFields)
	}
	if d.roles != nil {
		d.caps.MinRoles, d.caps.MaxRoles = t.MinRoles, t.MaxRoles
	}
	return d, nil
}

// Provider names the provider, e.g. "syncari".
func (d *Directory) Provider() string { return d.provider }

// Capabilities reports what the API behind the directory can do.
func (d *Directory) Capabilities() Capabilities {
	c := d.caps
	c.Requires = slices.Clone(c.Requires)
	c.UpdateFields = slices.Clone(c.UpdateFields)
	return c
}

// Format prints the directory as usermgmt.Directory{provider}, in every
// verb: never its driver's client or credentials.
func (d *Directory) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "usermgmt.Directory{%s}", d.provider)
}

// CreateUser creates a user, exactly once.
//
// The natural key (Capabilities.NaturalKey) comes from Username, or Email
// when Username is empty (and the other way round for APIs keyed by
// email). Input is checked before anything is sent: the fields
// Capabilities.Requires names, email syntax, no surrounding spaces, roles
// only where the API has them.
//
// A user that already had the natural key before this call is an error
// matching ErrConflict: a *ConflictError whose Existing is that user.
//
// When the outcome of a create is unknown (a timeout, a dropped connection,
// a 5xx, a success without the user's id), the user is looked up by its
// natural key before anything is resent:
//
//   - found: the create was applied; the user is returned as created.
//   - the server answered (a 5xx of its own) and the user is not there:
//     the create was not applied and is sent again, at most three times in
//     all (APIs with an idempotency key resend with the same key).
//   - no answer, or a gateway's 502/504: the request may still be in flight
//     on the server, so not finding the user proves nothing. The look-up is
//     repeated, with growing pauses, for the settle window
//     (WithSettleWindow); a user that appears is returned as created, and
//     otherwise the error matches ErrOutcomeUnknown and nothing is resent.
//     Re-running later (Provision lists first) settles it for good.
//
// With Inactive, APIs that cannot create inactive users get a create and
// then a deactivation.
func (d *Directory) CreateUser(ctx context.Context, in CreateUserInput) (*User, error) {
	if d.tracer == nil {
		return d.createUser(ctx, in)
	}
	ctx, span := d.startSpan(ctx, "Directory.CreateUser")
	u, err := d.createUser(ctx, in)
	endSpan(span, err)
	return u, err
}

func (d *Directory) createUser(ctx context.Context, in CreateUserInput) (*User, error) {
	const op = "CreateUser"
	if err := d.checkCtx(ctx, op); err != nil {
		return nil, err
	}
	ci, key, err := d.createInput(in)
	if err != nil {
		return nil, err
	}
	// One key for the logical create, reused by every attempt; the caller's
	// when set. Look-ups and the deactivation are other calls: no key.
	plain := ctx
	if _, ok := IdempotencyKey(ctx); ok {
		plain = WithIdempotencyKey(ctx, "")
	}
	createCtx := plain
	if d.traits.IdempotentCreate {
		k, ok := IdempotencyKey(ctx)
		if !ok {
			k = uuid.NewString()
		}
		createCtx = WithIdempotencyKey(ctx, k)
	}
	u, err := d.createOnce(ctx, createCtx, plain, ci, key)
	if err != nil {
		return nil, err
	}
	if !in.Inactive || d.traits.CreatesInactive || !u.Active {
		return u, nil
	}
	du, err := d.activator.SetActive(plain, u.ID, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: the user was created with id %q, but deactivating it failed: %w", d.provider, op, u.ID, err)
	}
	return d.user(du, op)
}

func (d *Directory) createOnce(ctx, createCtx, lookCtx context.Context, ci *driver.CreateInput, key string) (*User, error) {
	const op = "CreateUser"
	field := d.traits.NaturalKey
	var lastErr error
	for attempt := 1; attempt <= maxCreateAttempts; attempt++ {
		du, err := d.drv.CreateUser(createCtx, ci)
		if err == nil {
			if du != nil && du.ID != "" {
				return d.user(du, op)
			}
			err = &OutcomeUnknownError{Provider: d.provider, Operation: op, Err: errors.New("the API reported success without the new user's id")}
		}
		unknown := errors.Is(err, ErrOutcomeUnknown)
		if !unknown && !errors.Is(err, ErrConflict) {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, err // no time left to settle it: report it as it is
		}
		if !unknown { // a conflict: the user existed, unless our own earlier attempt made it
			found, ferr := d.find(lookCtx, op, key)
			switch {
			case ferr == nil && attempt > 1:
				d.debug(ctx, "create settled: an earlier attempt whose outcome was unknown was applied", field, key, attempt)
				return found, nil
			case ferr == nil:
				return nil, &ConflictError{Provider: d.provider, Field: field, Value: key, Existing: found, Err: err}
			}
			return nil, err // a conflict on something other than the natural key
		}
		inFlight := !d.traits.IdempotentCreate && mayBeInFlight(err)
		d.debug(ctx, "create outcome unknown; looking the user up by "+field, field, key, attempt, slog.Bool("may_be_in_flight", inFlight))
		found, ferr := d.settleLookup(lookCtx, key, inFlight)
		switch {
		case ferr == nil:
			d.debug(ctx, "create settled: the user exists, so the create was applied", field, key, attempt)
			return found, nil
		case !errors.Is(ferr, ErrNotFound):
			return nil, fmt.Errorf("%s: %s: looking the user up by %s %q to settle an unknown outcome failed too (%v): %w", d.provider, op, field, key, ferr, err)
		case inFlight:
			d.debug(ctx, "create not resent: the request may still be in flight", field, key, attempt, slog.Duration("settle_window", d.settle))
			return nil, fmt.Errorf("%s: %s: not resent: the request may still be in flight on the server, and no user with %s %q appeared within the settle window of %s: %w", d.provider, op, field, key, d.settle, err)
		case errors.Is(err, ErrRateLimited):
			return nil, err // not applied, but the server asked to wait longer than the policy allows
		}
		d.debug(ctx, "create not applied; sending it again", field, key, attempt)
		lastErr = err
	}
	return nil, fmt.Errorf("%s: %s: gave up after %d attempts, each answered with a failure and no user with %s %q found afterwards: %w", d.provider, op, maxCreateAttempts, field, key, lastErr)
}

// mayBeInFlight reports whether a create that failed with err may still be
// processed by the server: no answer came (a timeout, a dropped
// connection), a gateway answered for it (502, 504), or the server said it
// succeeded (a 2xx whose body was unreadable or lacked the user).
func mayBeInFlight(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode == 0 {
		return true
	}
	return ae.StatusCode < 300 || ae.StatusCode == 502 || ae.StatusCode == 504
}

// settleLookup looks the user up; when the create may still be in flight it
// keeps looking, with growing pauses, until the settle window ends.
func (d *Directory) settleLookup(ctx context.Context, key string, inFlight bool) (_ *User, err error) {
	if d.tracer != nil {
		var span trace.Span
		ctx, span = d.startSpan(ctx, "Directory.settle")
		defer func() { endSpan(span, err) }()
	}
	deadline := time.Now().Add(d.settle)
	pause := 100 * time.Millisecond
	for {
		u, err := d.find(ctx, "CreateUser", key)
		if err == nil || !errors.Is(err, ErrNotFound) || !inFlight {
			return u, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, err
		}
		t := time.NewTimer(min(pause, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, err
		case <-t.C:
		}
		pause = min(2*pause, 2*time.Second)
	}
}

// GetUser returns the user with the given ID (User.ID), or a
// *NotFoundError.
func (d *Directory) GetUser(ctx context.Context, id string) (*User, error) {
	if d.tracer == nil {
		return d.getUser(ctx, id)
	}
	ctx, span := d.startSpan(ctx, "Directory.GetUser")
	u, err := d.getUser(ctx, id)
	endSpan(span, err)
	return u, err
}

func (d *Directory) getUser(ctx context.Context, id string) (*User, error) {
	const op = "GetUser"
	if err := d.checkID(ctx, op, id); err != nil {
		return nil, err
	}
	du, err := d.drv.GetUser(ctx, id)
	if err != nil {
		return nil, d.notFound(err, op, "id", id)
	}
	return d.user(du, op)
}

// FindUser returns the user whose natural key (Capabilities.NaturalKey)
// equals key without regard to case, or a *NotFoundError. APIs with a
// search are asked directly; the others are listed until the user turns
// up.
func (d *Directory) FindUser(ctx context.Context, key string) (*User, error) {
	if d.tracer == nil {
		return d.findUser(ctx, key)
	}
	ctx, span := d.startSpan(ctx, "Directory.FindUser")
	u, err := d.findUser(ctx, key)
	endSpan(span, err)
	return u, err
}

func (d *Directory) findUser(ctx context.Context, key string) (*User, error) {
	const op = "FindUser"
	if err := d.checkCtx(ctx, op); err != nil {
		return nil, err
	}
	if err := checkText(d.provider, op, "key", key, true); err != nil {
		return nil, err
	}
	return d.find(ctx, op, key)
}

func (d *Directory) find(ctx context.Context, op, key string) (*User, error) {
	field := d.traits.NaturalKey
	if d.finder != nil {
		du, err := d.finder.FindUser(ctx, key)
		if err != nil {
			return nil, d.notFound(err, op, field, key)
		}
		return d.user(du, op)
	}
	for u, err := range d.ListUsers(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(d.naturalKey(&u), key) {
			return &u, nil
		}
	}
	return nil, &NotFoundError{Provider: d.provider, Operation: op, Field: field, Value: key}
}

// naturalKey returns u's natural key.
func (d *Directory) naturalKey(u *User) string {
	if d.traits.NaturalKey == driver.KeyEmail {
		return u.Email
	}
	return u.Username
}

// ListUsers iterates over the users, fetching pages lazily; breaking out of
// the loop stops fetching. opts (nil for none) filters on the server where
// the API can and on the client otherwise; its PageSize is clamped into the
// API's bounds. A server whose paging loops (a page token seen before, or a
// page with nothing new) ends the listing with an error rather than
// looping.
func (d *Directory) ListUsers(ctx context.Context, opts *ListOptions) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		const op = "ListUsers"
		ctx := ctx // each range over the iterator is its own listing, with its own span
		if d.tracer != nil {
			var span trace.Span
			var failed error
			ctx, span = d.startSpan(ctx, "Directory."+op)
			defer func() { endSpan(span, failed) }()
			inner := yield
			yield = func(u User, err error) bool {
				if err != nil {
					failed = err
				}
				return inner(u, err)
			}
		}
		if err := d.checkCtx(ctx, op); err != nil {
			yield(User{}, err)
			return
		}
		req := driver.PageRequest{}
		if opts != nil {
			if opts.PageSize < 0 {
				yield(User{}, d.input(op, "PageSize", "must not be negative"))
				return
			}
			req.Size, req.Active = d.clampPageSize(opts.PageSize), opts.Active
		}
		tokens := map[string]bool{}
		var prev map[string]bool // the ids of the previous page
		for pages := 1; ; pages++ {
			page, err := d.drv.ListPage(ctx, req)
			if err == nil && page == nil {
				err = &APIError{Provider: d.provider, Operation: op, Message: "incomplete answer: no page"}
			}
			if err != nil {
				yield(User{}, err)
				return
			}
			ids := make(map[string]bool, len(page.Users))
			fresh := false
			for i := range page.Users {
				u := &page.Users[i]
				ids[u.ID] = true
				fresh = fresh || !prev[u.ID]
				uu := d.convert(u)
				if opts.Keep(&uu) && !yield(uu, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			switch {
			case !fresh:
				yield(User{}, d.pagingError(pages, "page %d brought no user that the page before it had not (the server may ignore the page token)", pages))
				return
			case tokens[page.Next] || page.Next == req.Token:
				yield(User{}, d.pagingError(pages, "page %d named a next-page token the listing had already used", pages))
				return
			}
			tokens[page.Next] = true
			req.Token, prev = page.Next, ids
		}
	}
}

// ErrPagingLoop is matched by the error that ends a listing whose server
// pages in a loop.
var ErrPagingLoop = errors.New("usermgmt: the server's paging loops")

func (d *Directory) pagingError(pages int, format string, args ...any) error {
	d.debug(context.Background(), "listing stopped: the server's paging loops", "", "", 0, slog.Int("pages", pages))
	return fmt.Errorf("%s: ListUsers: stopped after %d pages: "+format+": %w", append(append([]any{d.provider, pages}, args...), ErrPagingLoop)...)
}

func (d *Directory) clampPageSize(n int) int {
	t := &d.traits
	if n == 0 || t.MaxPageSize == 0 {
		return 0
	}
	return min(max(n, t.MinPageSize, 1), t.MaxPageSize)
}

// UpdateUser changes the fields of in that are set, and only those; with
// nothing set it returns the user as it is. A field the API cannot change
// (see Capabilities.UpdateFields) fails with an *UnsupportedError before
// anything is sent.
func (d *Directory) UpdateUser(ctx context.Context, id string, in UpdateUserInput) (*User, error) {
	if d.tracer == nil {
		return d.updateUser(ctx, id, in)
	}
	ctx, span := d.startSpan(ctx, "Directory.UpdateUser")
	u, err := d.updateUser(ctx, id, in)
	endSpan(span, err)
	return u, err
}

func (d *Directory) updateUser(ctx context.Context, id string, in UpdateUserInput) (*User, error) {
	const op = "UpdateUser"
	if d.updater == nil {
		return nil, d.unsupported(op, "")
	}
	if err := d.checkID(ctx, op, id); err != nil {
		return nil, err
	}
	fields := []struct {
		name string
		v    *string
	}{{"Email", in.Email}, {"Name", in.Name}, {"FirstName", in.FirstName}, {"LastName", in.LastName}}
	var ui driver.UpdateInput
	set := false
	for _, f := range fields {
		if f.v == nil {
			continue
		}
		if !slices.Contains(d.traits.UpdateFields, f.name) {
			return nil, d.unsupported(op+" of "+f.name, "UpdateUser can change "+d.updatable())
		}
		if err := checkText(d.provider, op, f.name, *f.v, f.name == "Email"); err != nil {
			return nil, err
		}
		set = true
	}
	if in.Email != nil {
		if err := checkEmail(d.provider, op, "Email", *in.Email); err != nil {
			return nil, err
		}
	}
	if in.Password != nil {
		if !slices.Contains(d.traits.UpdateFields, "Password") {
			return nil, d.unsupported(op+" of Password", "UpdateUser can change "+d.updatable())
		}
		if in.Password.IsZero() {
			return nil, d.input(op, "Password", "must not be empty")
		}
		p := in.Password.Reveal()
		ui.Password, set = &p, true
	}
	if !set {
		return d.GetUser(ctx, id)
	}
	ui.Email, ui.Name, ui.FirstName, ui.LastName = clonePtr(in.Email), clonePtr(in.Name), clonePtr(in.FirstName), clonePtr(in.LastName)
	du, err := d.updater.UpdateUser(ctx, id, &ui)
	if err != nil {
		return nil, d.notFound(err, op, "id", id)
	}
	return d.user(du, op)
}

func (d *Directory) updatable() string {
	if len(d.traits.UpdateFields) == 0 {
		return "no field"
	}
	return strings.Join(d.traits.UpdateFields, ", ")
}

// SetActive activates or deactivates the user.
func (d *Directory) SetActive(ctx context.Context, id string, active bool) (*User, error) {
	if d.tracer == nil {
		return d.setActive(ctx, id, active)
	}
	ctx, span := d.startSpan(ctx, "Directory.SetActive")
	u, err := d.setActive(ctx, id, active)
	endSpan(span, err)
	return u, err
}

func (d *Directory) setActive(ctx context.Context, id string, active bool) (*User, error) {
	const op = "SetActive"
	if d.activator == nil {
		return nil, d.unsupported(op, "")
	}
	if err := d.checkID(ctx, op, id); err != nil {
		return nil, err
	}
	du, err := d.activator.SetActive(ctx, id, active)
	if err != nil {
		return nil, d.notFound(err, op, "id", id)
	}
	return d.user(du, op)
}

// DeleteUser deletes the user, or does what the API offers instead
// (Capabilities.DeleteMeans). Deleting a user that does not exist, or that
// was already deleted (archived, unregistered, or for DeleteMeans
// "deactivate", deactivated), returns a *NotFoundError on every provider.
func (d *Directory) DeleteUser(ctx context.Context, id string) error {
	if d.tracer == nil {
		return d.deleteUser(ctx, id)
	}
	ctx, span := d.startSpan(ctx, "Directory.DeleteUser")
	err := d.deleteUser(ctx, id)
	endSpan(span, err)
	return err
}

func (d *Directory) deleteUser(ctx context.Context, id string) error {
	const op = "DeleteUser"
	if d.deleter == nil {
		return d.unsupported(op, "")
	}
	if err := d.checkID(ctx, op, id); err != nil {
		return err
	}
	if err := d.deleter.DeleteUser(ctx, id); err != nil {
		return d.notFound(err, op, "id", id)
	}
	return nil
}

// SetRoles replaces the user's roles with roles (names as the API spells
// them). An empty roles clears them where the API lets a user hold none
// (Capabilities.MinRoles).
func (d *Directory) SetRoles(ctx context.Context, id string, roles []string) (*User, error) {
	if d.tracer == nil {
		return d.setRoles(ctx, id, roles)
	}
	ctx, span := d.startSpan(ctx, "Directory.SetRoles")
	u, err := d.setRoles(ctx, id, roles)
	endSpan(span, err)
	return u, err
}

func (d *Directory) setRoles(ctx context.Context, id string, roles []string) (*User, error) {
	const op = "SetRoles"
	if d.roles == nil {
		return nil, d.unsupported(op, "")
	}
	if err := d.checkID(ctx, op, id); err != nil {
		return nil, err
	}
	if err := d.checkRoles(op, roles); err != nil {
		return nil, err
	}
	du, err := d.roles.SetRoles(ctx, id, slices.Clone(roles))
	if err != nil {
		return nil, d.notFound(err, op, "id", id)
	}
	return d.user(du, op)
}

func (d *Directory) checkRoles(op string, roles []string) error {
	t := &d.traits
	switch {
	case len(roles) < t.MinRoles:
		return d.input(op, "Roles", fmt.Sprintf("a user holds at least %d role(s) here; got %d", t.MinRoles, len(roles)))
	case t.MaxRoles > 0 && len(roles) > t.MaxRoles:
		return d.input(op, "Roles", fmt.Sprintf("a user holds at most %d role(s) here; got %d", t.MaxRoles, len(roles)))
	}
	for i, r := range roles {
		if err := checkText(d.provider, op, fmt.Sprintf("Roles[%d]", i), r, true); err != nil {
			return err
		}
		if slices.Contains(roles[:i], r) {
			return d.input(op, "Roles", fmt.Sprintf("%q is named twice", r))
		}
	}
	return nil
}

// createInput validates in and turns it into the driver's input; key is
// the natural key.
func (d *Directory) createInput(in CreateUserInput) (*driver.CreateInput, string, error) {
	const op = "CreateUser"
	ci := &driver.CreateInput{
		Username: in.Username, Email: in.Email, ExternalID: in.ExternalID,
		Name: in.Name, FirstName: in.FirstName, LastName: in.LastName,
		Password: in.Password.Reveal(), Roles: slices.Clone(in.Roles), Inactive: in.Inactive,
	}
	var key string
	if d.traits.NaturalKey == driver.KeyEmail {
		if ci.Email == "" {
			ci.Email = ci.Username
		}
		key = ci.Email
	} else {
		if ci.Username == "" {
			ci.Username = ci.Email
		}
		key = ci.Username
	}
	if key == "" {
		return nil, "", d.input(op, "Username/Email", "one of them must be set: the "+d.traits.NaturalKey+" is the natural key here")
	}
	for _, f := range []struct {
		name, v string
		key     bool
	}{{"Username", ci.Username, true}, {"Email", ci.Email, true}, {"ExternalID", ci.ExternalID, true},
		{"Name", ci.Name, false}, {"FirstName", ci.FirstName, false}, {"LastName", ci.LastName, false}} {
		if f.v == "" {
			continue
		}
		if err := checkText(d.provider, op, f.name, f.v, f.key); err != nil {
			return nil, "", err
		}
	}
	if ci.Email != "" {
		if err := checkEmail(d.provider, op, "Email", ci.Email); err != nil {
			return nil, "", err
		}
	}
	for _, r := range d.traits.Requires {
		missing := false
		switch r {
		case "Username":
			missing = ci.Username == ""
		case "Email":
			missing = ci.Email == ""
		case "Name":
			missing = ci.Name == "" && ci.FirstName == "" && ci.LastName == ""
		case "Password":
			missing = ci.Password == ""
		case "Roles":
			missing = len(ci.Roles) == 0
		}
		if missing {
			return nil, "", d.input(op, r, "is required by this API")
		}
	}
	if len(ci.Roles) > 0 {
		if d.roles == nil {
			return nil, "", d.unsupported(op+" with Roles", "this API has no roles")
		}
		if err := d.checkRoles(op, ci.Roles); err != nil {
			return nil, "", err
		}
	}
	if ci.Inactive && !d.caps.CreateInactive {
		return nil, "", d.unsupported(op+" with Inactive", "this API has no inactive users")
	}
	return ci, key, nil
}

// user converts a driver's answer about one user; an answer without the
// user, or without its id, is an error.
func (d *Directory) user(du *driver.User, op string) (*User, error) {
	if du == nil || du.ID == "" {
		return nil, &APIError{Provider: d.provider, Operation: op, Message: "incomplete answer: no user id"}
	}
	u := d.convert(du)
	return &u, nil
}

func (d *Directory) convert(du *driver.User) User {
	return User{
		ID: du.ID, Username: du.Username, Email: du.Email, ExternalID: du.ExternalID,
		Name: du.Name, FirstName: du.FirstName, LastName: du.LastName,
		Active: du.Active, Roles: du.Roles, Provider: d.provider, Raw: du.Raw,
	}
}

// notFound turns a driver's not-found answer into a *NotFoundError and
// returns other errors as they are.
func (d *Directory) notFound(err error, op, field, value string) error {
	if !errors.Is(err, ErrNotFound) && !errors.Is(err, driver.ErrNotFound) {
		return err
	}
	var nf *NotFoundError
	if errors.As(err, &nf) {
		return err
	}
	cause := err
	if errors.Is(err, driver.ErrNotFound) && !errors.Is(err, ErrNotFound) {
		cause = nil // the driver's own finding: nothing to add
	}
	return &NotFoundError{Provider: d.provider, Operation: op, Field: field, Value: value, Err: cause}
}

func (d *Directory) unsupported(op, hint string) error {
	if hint == "" {
		switch {
		case strings.HasPrefix(op, "UpdateUser"):
			hint = "this API cannot change a user's fields"
		case op == "SetActive":
			hint = "this API has no activation toggle"
		case op == "DeleteUser":
			hint = "this API cannot delete or deactivate a user"
		case op == "SetRoles":
			hint = "this API has no roles"
		}
	}
	return &UnsupportedError{Provider: d.provider, Operation: op, Hint: hint}
}

func (d *Directory) input(op, field, reason string) error {
	return &InputError{Provider: d.provider, Operation: op, Field: field, Reason: reason}
}

func (d *Directory) checkCtx(ctx context.Context, op string) error {
	switch {
	case d == nil || d.drv == nil:
		return &InputError{Provider: "usermgmt", Operation: op, Field: "Directory", Reason: "is not usable: build it with a provider's NewDirectory or usermgmt.NewDirectory"}
	case ctx == nil:
		return d.input(op, "ctx", "must not be nil (use context.Background())")
	}
	return nil
}

func (d *Directory) checkID(ctx context.Context, op, id string) error {
	if err := d.checkCtx(ctx, op); err != nil {
		return err
	}
	return checkText(d.provider, op, "id", id, true)
}

// checkText refuses an empty value (when required), surrounding spaces and
// control characters.
func checkText(provider, op, field, v string, required bool) error {
	bad := func(reason string) error {
		return &InputError{Provider: provider, Operation: op, Field: field, Reason: reason}
	}
	switch {
	case v == "" && required:
		return bad("must not be empty")
	case strings.TrimSpace(v) != v:
		return bad("must not begin or end with spaces")
	case strings.ContainsFunc(v, unicode.IsControl):
		return bad("must not contain control characters")
	}
	return nil
}

// checkEmail refuses anything but a bare address: no display name, no
// angle brackets, no comments.
func checkEmail(provider, op, field, v string) error {
	if !mailaddr.Plain(v) {
		return &InputError{Provider: provider, Operation: op, Field: field, Reason: "must be an email address such as ada@example.com"}
	}
	return nil
}

// debug writes one debug record about a decision of the Directory.
func (d *Directory) debug(ctx context.Context, msg, field, key string, attempt int, extra ...slog.Attr) {
	if d.logger == nil || !d.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("provider", d.provider)}
	if field != "" {
		attrs = append(attrs, slog.String(field, key))
	}
	if attempt > 0 {
		attrs = append(attrs, slog.Int("attempt", attempt))
	}
	d.logger.LogAttrs(ctx, slog.LevelDebug, "usermgmt: "+msg, append(attrs, extra...)...)
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
