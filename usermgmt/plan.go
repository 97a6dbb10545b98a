package usermgmt

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// DesiredUser is one user a directory should hold, for Plan. Empty string
// fields and nil Active and Roles are not managed: whatever the directory
// holds for them is left as it is.
type DesiredUser struct {
	// Username and Email identify the user, by the directory's natural key
	// (Capabilities.NaturalKey, compared without regard to case): the
	// username, or the email, falling back to the other when it is empty.
	Username string
	Email    string
	// ExternalID, when set, matches the user by the id an identity source
	// gave it, where the directory keeps one (BSS external_id), before the
	// natural key is tried.
	ExternalID string
	// Name is the full name; FirstName and LastName its parts. Either form
	// may be given; see CreateUserInput.SplitName and FullName.
	Name      string
	FirstName string
	LastName  string
	// Active, when set, is whether the user should be able to use the
	// service.
	Active *bool
	// Roles, when non-nil, are the role names the user should hold, and
	// only those (compared without regard to case or order); an empty
	// non-nil slice means no roles. Nil leaves roles alone.
	Roles []string
	// Password is the initial password of a user that has to be created;
	// it is never compared or changed on an existing user.
	Password Secret
}

// key returns the user's natural key in a directory identifying users by
// naturalKey ("email" or "username").
func (d *DesiredUser) key(naturalKey string) string {
	a, b := d.Username, d.Email
	if naturalKey == "email" {
		a, b = b, a
	}
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return strings.TrimSpace(b)
}

func (d *DesiredUser) names() (full, first, last string) {
	in := CreateUserInput{Name: strings.TrimSpace(d.Name), FirstName: strings.TrimSpace(d.FirstName), LastName: strings.TrimSpace(d.LastName)}
	full = strings.TrimSpace(in.FullName())
	first, last = in.SplitName()
	return full, first, last
}

// existingKey is the natural key of a user the directory listed.
func existingKey(u *User, naturalKey string) string {
	a, b := u.Username, u.Email
	if naturalKey == "email" {
		a, b = b, a
	}
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// userExternalID returns the id an identity source gave u, where the
// directory keeps one (BSS external_id); empty otherwise.
func userExternalID(u *User) string { return u.ExternalID }

// setExternalID puts id into a create; directories that keep no external
// id ignore it (Capabilities.ExternalID says which do).
func setExternalID(in *CreateUserInput, id string) { in.ExternalID = id }

// updatableFields returns the names of the UpdateUserInput fields that
// UpdateUser can change in a directory with caps.
func updatableFields(caps Capabilities) []string {
	if !caps.Update {
		return nil
	}
	return caps.UpdateFields
}

// PlanOptions tune Plan. The zero value plans creates and updates and
// removes nobody.
type PlanOptions struct {
	// Prune plans the removal of every listed user that no desired user
	// matches: DeleteUser where the directory has it (whatever it means
	// there: Capabilities.DeleteMeans), otherwise a deactivation. Apply
	// refuses a plan that removes too much; see ApplyOptions.
	Prune bool
	// PruneDeactivates removes by deactivating, where the directory can,
	// instead of DeleteUser.
	PruneDeactivates bool
	// PageSize is passed to ListUsers; zero means the API's default.
	PageSize int
}

// PlanFormat is the value of the format field of a DirectoryPlan encoded as
// JSON; MultiPlanFormat that of a MultiPlan.
const (
	PlanFormat      = "usermgmt.plan/v1"
	MultiPlanFormat = "usermgmt.multiplan/v1"
)

// Action is what a plan item does to one user.
type Action string

// The actions of a plan item.
const (
	// ActionCreate creates a desired user the directory does not hold.
	ActionCreate Action = "create"
	// ActionUpdate changes the fields of a held user that differ.
	ActionUpdate Action = "update"
	// ActionRemove removes a held user no desired user matches (Prune).
	ActionRemove Action = "remove"
	// ActionNone changes nothing: the item only reports fields the
	// directory cannot hold or change (NotRepresentable).
	ActionNone Action = "none"
)

// How an ActionRemove item removes its user: PlanItem.RemoveBy.
const (
	RemoveByDelete     = "delete"
	RemoveByDeactivate = "deactivate"
)

// The field names of FieldChange and Unrepresentable.
const (
	FieldUsername   = "username"
	FieldEmail      = "email"
	FieldExternalID = "external_id"
	FieldName       = "name"
	FieldFirstName  = "first_name"
	FieldLastName   = "last_name"
	FieldActive     = "active"
	FieldRoles      = "roles"
	FieldPassword   = "password"
)

// FieldChange is one field a plan item sets: Old is empty for a create.
// Active is "true" or "false"; roles are in OldRoles and NewRoles; a
// password is never shown (New is "(set)").
type FieldChange struct {
	Field    string   `json:"field"`
	Old      string   `json:"old,omitempty"`
	New      string   `json:"new,omitempty"`
	OldRoles []string `json:"old_roles,omitempty"`
	NewRoles []string `json:"new_roles,omitempty"`
}

// Unrepresentable is a desired value the directory cannot hold or change;
// the plan reports it instead of dropping it silently.
type Unrepresentable struct {
	Field string `json:"field"`
	// Value is the desired value (roles joined with ", ").
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// PlanItem is what a plan does to one user.
type PlanItem struct {
	Action Action `json:"action"`
	// Key is the user's natural key: as desired for a create or an update,
	// as listed for a removal.
	Key string `json:"key"`
	// ID is the directory's id of the user (not for creates).
	ID string `json:"id,omitempty"`
	// Fingerprint is a digest of the user as listed when planned; Apply
	// re-reads the user and skips the item when it no longer matches.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Changes are the fields set, in a fixed order.
	Changes []FieldChange `json:"changes,omitempty"`
	// RemoveBy is how an ActionRemove removes: RemoveByDelete (DeleteUser,
	// which does RemoveMeans where that is set) or RemoveByDeactivate.
	RemoveBy    string `json:"remove_by,omitempty"`
	RemoveMeans string `json:"remove_means,omitempty"`
	// NotRepresentable lists desired values the directory cannot hold or
	// change; they are not applied.
	NotRepresentable []Unrepresentable `json:"not_representable,omitempty"`
	// Password is the initial password of a create. It is never encoded:
	// a plan read back from JSON has none, and Apply asks
	// ApplyOptions.Password for it.
	Password Secret `json:"-"`
}

func (it *PlanItem) change(field string) *FieldChange {
	for i := range it.Changes {
		if it.Changes[i].Field == field {
			return &it.Changes[i]
		}
	}
	return nil
}

// deactivates reports whether the item takes a user out of service.
func (it *PlanItem) deactivates() bool {
	if it.Action == ActionRemove {
		return true
	}
	c := it.change(FieldActive)
	return it.Action == ActionUpdate && c != nil && c.New == "false"
}

// DirectoryPlan is what Plan found to do in one directory: data that can
// be printed (String, WriteTo), saved as JSON, reviewed, read back and
// given to Apply. Items are sorted by natural key.
type DirectoryPlan struct {
	// Format is PlanFormat.
	Format string `json:"format"`
	// Name labels the directory in a MultiPlan; empty for a single plan.
	Name string `json:"name,omitempty"`
	// Provider is the directory's Provider(); Apply refuses the plan for
	// another.
	Provider   string `json:"provider"`
	NaturalKey string `json:"natural_key"`
	// Listed is how many users the directory held when planned; Desired
	// how many were desired.
	Listed  int        `json:"listed"`
	Desired int        `json:"desired"`
	Prune   bool       `json:"prune"`
	Items   []PlanItem `json:"items"`
}

// PlanCounts counts the items of a plan by kind.
type PlanCounts struct {
	Create, Update, Remove int
	// Deactivate counts the updates that deactivate a user.
	Deactivate int
	// NotRepresentable counts the items with a value not applied.
	NotRepresentable int
}

// Counts counts the plan's items.
func (p *DirectoryPlan) Counts() PlanCounts {
	var c PlanCounts
	for i := range p.Items {
		it := &p.Items[i]
		switch it.Action {
		case ActionCreate:
			c.Create++
		case ActionUpdate:
			c.Update++
			if it.deactivates() {
				c.Deactivate++
			}
		case ActionRemove:
			c.Remove++
		}
		if len(it.NotRepresentable) > 0 {
			c.NotRepresentable++
		}
	}
	return c
}

// Empty reports whether the plan changes nothing. It may still report
// values the directory cannot represent.
func (p *DirectoryPlan) Empty() bool {
	for i := range p.Items {
		if p.Items[i].Action != ActionNone {
			return false
		}
	}
	return true
}

// Plan compares the users of dir with desired and returns what Apply would
// do to make dir hold them: create the desired users it lacks, change only
// the fields that differ (email, names, active, roles) of those it holds,
// and, with opts.Prune, remove the users nobody desires. A desired value
// the directory cannot hold or change is reported on its item
// (NotRepresentable), not dropped silently.
//
// Users match by external id where both sides have one, otherwise by the
// directory's natural key without regard to case. Plan lists dir once,
// streaming it: it keeps the desired users and the plan's items, never the
// whole directory. It sends no write. Desired users with no natural key,
// or two with the same one, are an *InputError before anything is listed.
//
// Plan reads desired in place, and neither keeps nor changes it once it
// returns; PlanSeq takes a sequence instead.
func Plan(ctx context.Context, dir *Directory, desired []DesiredUser, opts *PlanOptions) (*DirectoryPlan, error) {
	var o PlanOptions
	if opts != nil {
		o = *opts
	}
	caps := dir.Capabilities()
	p := &DirectoryPlan{Format: PlanFormat, Provider: dir.Provider(), NaturalKey: caps.NaturalKey, Prune: o.Prune}
	ix, err := indexDesired(dir.Provider(), caps.NaturalKey, desired)
	if err != nil {
		return nil, err
	}
	p.Desired = len(ix.users)
	upd := updatableFields(caps)
	matched := make([]bool, len(ix.users))
	var lo *ListOptions
	if o.PageSize != 0 {
		lo = &ListOptions{PageSize: o.PageSize}
	}
	for u, err := range dir.ListUsers(ctx, lo) {
		if err != nil {
			return nil, fmt.Errorf("usermgmt: Plan: listing %s: %w", dir.Provider(), err)
		}
		p.Listed++
		i := ix.match(&u)
		if i >= 0 && !matched[i] {
			matched[i] = true
			if it, ok := diffUser(&ix.users[i], &u, caps, upd); ok {
				p.Items = append(p.Items, it)
			}
			continue
		}
		switch {
		case o.Prune:
			if it, ok := removal(&u, caps, &o); ok {
				p.Items = append(p.Items, it)
			}
		case i >= 0: // a second user with a desired user's key
			p.Items = append(p.Items, PlanItem{Action: ActionNone, Key: existingKey(&u, caps.NaturalKey), ID: u.ID,
				NotRepresentable: []Unrepresentable{{Reason: "another user of the directory has the same " + naturalKeyName(caps.NaturalKey) + "; Prune removes this one"}}})
		}
	}
	for i := range ix.users {
		if !matched[i] {
			p.Items = append(p.Items, creation(&ix.users[i], caps, p.Provider))
		}
	}
	sortItems(p.Items)
	return p, nil
}

// PlanSeq is Plan for desired users given as a sequence, which it reads
// once, collecting it.
func PlanSeq(ctx context.Context, dir *Directory, desired iter.Seq[DesiredUser], opts *PlanOptions) (*DirectoryPlan, error) {
	var users []DesiredUser
	if desired != nil {
		users = slices.Collect(desired)
	}
	return Plan(ctx, dir, users, opts)
}

// desiredIndex finds desired users by natural key and external id. The
// natural keys are indexed by a 64-bit hash of their normalised form, so
// that the index holds no copy of a key and a look-up compares integers; a
// hit is confirmed against the desired user's key, and the rare keys whose
// hash another key already has go to a map of their own.
type desiredIndex struct {
	users      []DesiredUser
	naturalKey string
	seed       maphash.Seed
	byHash     map[uint64]int32
	collided   map[string]int32 // normalised key -> index, on hash collisions
	byExt      map[string]int32
}

// hashKey hashes normKey(k) without building it when k is already
// normalised (lower-case ASCII, no surrounding space), as keys mostly are.
func (ix *desiredIndex) hashKey(k string) uint64 {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c >= 0x80 || 'A' <= c && c <= 'Z' || (i == 0 || i == len(k)-1) && c <= ' ' {
			return maphash.String(ix.seed, normKey(k))
		}
	}
	return maphash.String(ix.seed, k)
}

func indexDesired(provider, naturalKey string, desired []DesiredUser) (*desiredIndex, error) {
	ix := &desiredIndex{users: desired, naturalKey: naturalKey, seed: maphash.MakeSeed(), byHash: make(map[uint64]int32, len(desired))}
	// Fast path, one map write per user: keys all present and distinct
	// hashes, hence distinct keys, and no external ids.
	fast := true
	for n := range desired {
		d := &desired[n]
		key := d.key(naturalKey)
		if key == "" || d.ExternalID != "" {
			fast = false
			break
		}
		ix.byHash[ix.hashKey(key)] = int32(n)
	}
	if fast && len(ix.byHash) == len(desired) {
		return ix, nil
	}
	clear(ix.byHash)
	for n := range desired {
		d := &desired[n]
		key := d.key(naturalKey)
		if key == "" {
			return nil, &InputError{Provider: provider, Operation: "Plan", Field: "desired",
				Reason: fmt.Sprintf("user %d has neither Username nor Email", n)}
		}
		if j := ix.lookup(key); j >= 0 {
			return nil, &InputError{Provider: provider, Operation: "Plan", Field: "desired",
				Reason: fmt.Sprintf("users %d and %d have the same %s %q", j, n, naturalKeyName(naturalKey), key)}
		}
		if h := ix.hashKey(key); !ix.hasHash(h) {
			ix.byHash[h] = int32(n)
		} else {
			if ix.collided == nil {
				ix.collided = map[string]int32{}
			}
			ix.collided[normKey(key)] = int32(n)
		}
		if e := strings.TrimSpace(d.ExternalID); e != "" {
			if ix.byExt == nil {
				ix.byExt = map[string]int32{}
			}
			if j, dup := ix.byExt[e]; dup {
				return nil, &InputError{Provider: provider, Operation: "Plan", Field: "desired",
					Reason: fmt.Sprintf("users %d and %d have the same external id", j, n)}
			}
			ix.byExt[e] = int32(n)
		}
	}
	return ix, nil
}

func (ix *desiredIndex) hasHash(h uint64) bool {
	_, ok := ix.byHash[h]
	return ok
}

// lookup returns the index of the desired user whose natural key is key
// (compared as normKey does), or -1.
func (ix *desiredIndex) lookup(key string) int {
	if i, ok := ix.byHash[ix.hashKey(key)]; ok && sameKey(ix.users[i].key(ix.naturalKey), key) {
		return int(i)
	}
	if ix.collided != nil {
		if i, ok := ix.collided[normKey(key)]; ok {
			return int(i)
		}
	}
	return -1
}

// sameKey reports whether normKey(a) == normKey(b), without building them
// when both are already normalised.
func sameKey(a, b string) bool {
	return a == b || normKey(a) == normKey(b)
}

func naturalKeyName(k string) string {
	if k == "" {
		return "username"
	}
	return k
}

// match returns the index of the desired user u is, or -1.
func (ix *desiredIndex) match(u *User) int {
	if ix.byExt != nil {
		if e := userExternalID(u); e != "" {
			if i, ok := ix.byExt[e]; ok {
				return int(i)
			}
		}
	}
	return ix.lookup(existingKey(u, ix.naturalKey))
}

func has(fields []string, f string) bool { return slices.Contains(fields, f) }

func cannot(provider, what string) string { return provider + " cannot " + what }

func cannotChange(provider, field, cur string) string {
	if cur == "" {
		return provider + " holds no " + field + " for this user and cannot set one"
	}
	return provider + " cannot change the " + field + " (it is " + strconv.Quote(cur) + ")"
}

// diffUser returns the item that makes u look like d, and whether there is
// one.
func diffUser(d *DesiredUser, u *User, caps Capabilities, upd []string) (PlanItem, bool) {
	var it PlanItem
	prov := u.Provider
	if prov == "" {
		prov = "the directory"
	}
	note := func(field, value, reason string) {
		it.NotRepresentable = append(it.NotRepresentable, Unrepresentable{Field: field, Value: value, Reason: reason})
	}
	if un := strings.TrimSpace(d.Username); un != "" && !strings.EqualFold(un, strings.TrimSpace(u.Username)) {
		switch {
		case u.Username != "":
			note(FieldUsername, un, "a username cannot be changed (it is "+strconv.Quote(u.Username)+")")
		case !strings.EqualFold(un, strings.TrimSpace(d.Email)) && !strings.EqualFold(un, u.Email):
			note(FieldUsername, un, prov+" keeps no username")
		}
	}
	if e := strings.TrimSpace(d.ExternalID); e != "" && userExternalID(u) != e {
		note(FieldExternalID, e, cannot(prov, "set an external id"))
	}
	if em := strings.TrimSpace(d.Email); em != "" && !strings.EqualFold(em, strings.TrimSpace(u.Email)) {
		if has(upd, "Email") {
			it.Changes = append(it.Changes, FieldChange{Field: FieldEmail, Old: u.Email, New: em})
		} else {
			note(FieldEmail, em, cannotChange(prov, "email", u.Email))
		}
	}
	if d.FirstName == "" && d.LastName == "" && u.FirstName == "" && u.LastName == "" {
		// One name on both sides, the common case: no splitting.
		if full := strings.TrimSpace(d.Name); full != "" && full != strings.TrimSpace(u.Name) {
			if has(upd, "Name") {
				it.Changes = append(it.Changes, FieldChange{Field: FieldName, Old: u.Name, New: full})
			} else {
				note(FieldName, full, cannotChange(prov, "name", u.Name))
			}
		}
	} else if full, first, last := d.names(); full != "" {
		var ch []FieldChange
		curFirst, curLast := strings.TrimSpace(u.FirstName), strings.TrimSpace(u.LastName)
		if curFirst != "" || curLast != "" {
			if first != curFirst || last != curLast {
				ch = append(ch, FieldChange{Field: FieldName, Old: u.Name, New: full})
				if first != curFirst {
					ch = append(ch, FieldChange{Field: FieldFirstName, Old: u.FirstName, New: first})
				}
				if last != curLast {
					ch = append(ch, FieldChange{Field: FieldLastName, Old: u.LastName, New: last})
				}
			}
		} else if full != strings.TrimSpace(u.Name) {
			ch = append(ch, FieldChange{Field: FieldName, Old: u.Name, New: full})
		}
		switch {
		case len(ch) == 0:
		case has(upd, "Name") || has(upd, "FirstName") && has(upd, "LastName"):
			it.Changes = append(it.Changes, ch...)
		default:
			note(FieldName, full, cannotChange(prov, "name", u.Name))
		}
	}
	if d.Active != nil && *d.Active != u.Active {
		want := *d.Active
		if want && caps.Activate || !want && caps.Deactivate {
			it.Changes = append(it.Changes, FieldChange{Field: FieldActive, Old: strconv.FormatBool(u.Active), New: strconv.FormatBool(want)})
		} else {
			note(FieldActive, strconv.FormatBool(want), cannot(prov, activeVerb(want)+" a user"))
		}
	}
	if d.Roles != nil && !sameRoles(d.Roles, u.Roles) {
		if caps.Roles {
			it.Changes = append(it.Changes, FieldChange{Field: FieldRoles, OldRoles: slices.Clone(u.Roles), NewRoles: cleanRoles(d.Roles)})
		} else {
			note(FieldRoles, strings.Join(d.Roles, ", "), prov+" has no roles")
		}
	}
	if len(it.Changes) == 0 && len(it.NotRepresentable) == 0 {
		return it, false
	}
	it.Action, it.Key, it.ID = ActionNone, d.key(caps.NaturalKey), u.ID
	if len(it.Changes) > 0 {
		it.Action = ActionUpdate
		it.Fingerprint = Fingerprint(u)
	}
	return it, true
}

func activeVerb(active bool) string {
	if active {
		return "activate"
	}
	return "deactivate"
}

// creation returns the item that creates d.
func creation(d *DesiredUser, caps Capabilities, prov string) PlanItem {
	it := PlanItem{Action: ActionCreate, Key: d.key(caps.NaturalKey), Password: d.Password}
	note := func(field, value, reason string) {
		it.NotRepresentable = append(it.NotRepresentable, Unrepresentable{Field: field, Value: value, Reason: reason})
	}
	set := func(field, v string) {
		if v = strings.TrimSpace(v); v != "" {
			it.Changes = append(it.Changes, FieldChange{Field: field, New: v})
		}
	}
	un, em := strings.TrimSpace(d.Username), strings.TrimSpace(d.Email)
	switch {
	case caps.NaturalKey != "email" || em == "":
		set(FieldUsername, un)
	case un != "" && !strings.EqualFold(un, em):
		// Users are known by their email here; the directories that do so
		// keep no username.
		note(FieldUsername, un, prov+" identifies users by email and keeps no username")
	}
	set(FieldEmail, em)
	if e := strings.TrimSpace(d.ExternalID); e != "" && !caps.ExternalID {
		note(FieldExternalID, e, cannot(prov, "set an external id"))
	}
	full, _, _ := d.names()
	if strings.TrimSpace(d.FirstName) != "" || strings.TrimSpace(d.LastName) != "" {
		if strings.TrimSpace(d.Name) != "" {
			set(FieldName, full)
		}
		set(FieldFirstName, d.FirstName)
		set(FieldLastName, d.LastName)
	} else {
		set(FieldName, full)
	}
	if d.Active != nil && !*d.Active {
		if caps.Deactivate {
			it.Changes = append(it.Changes, FieldChange{Field: FieldActive, New: "false"})
		} else {
			note(FieldActive, "false", prov+" cannot hold an inactive user: it is created active")
		}
	}
	if len(d.Roles) > 0 {
		if caps.Roles {
			it.Changes = append(it.Changes, FieldChange{Field: FieldRoles, NewRoles: cleanRoles(d.Roles)})
		} else {
			note(FieldRoles, strings.Join(d.Roles, ", "), prov+" has no roles")
		}
	}
	if !d.Password.IsZero() {
		it.Changes = append(it.Changes, FieldChange{Field: FieldPassword, New: "(set)"})
	}
	var missing []string
	for _, r := range caps.Requires {
		var ok bool
		switch r {
		case "Email":
			ok = strings.TrimSpace(d.Email) != ""
		case "Username":
			ok = strings.TrimSpace(d.Username) != ""
		case "Name":
			ok = full != ""
		case "Password":
			ok = !d.Password.IsZero()
		case "Roles":
			ok = len(d.Roles) > 0
		default:
			ok = true // "Username or Email": the natural key, always there
		}
		if !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		it.Action = ActionNone
		it.Changes, it.Password = nil, ""
		note("", "", "cannot be created: "+prov+" requires "+strings.Join(missing, ", "))
	}
	return it
}

// removal returns the item that removes u, when the directory can.
func removal(u *User, caps Capabilities, o *PlanOptions) (PlanItem, bool) {
	it := PlanItem{Action: ActionRemove, Key: existingKey(u, caps.NaturalKey), ID: u.ID, Fingerprint: Fingerprint(u)}
	switch {
	case caps.Delete && !(o.PruneDeactivates && caps.Deactivate):
		if caps.DeleteMeans == "deactivate" && !u.Active {
			return it, false // already as removed as it can be
		}
		it.RemoveBy, it.RemoveMeans = RemoveByDelete, caps.DeleteMeans
	case caps.Deactivate:
		if !u.Active {
			return it, false
		}
		it.RemoveBy = RemoveByDeactivate
	default:
		it.Action, it.Fingerprint = ActionNone, ""
		it.NotRepresentable = []Unrepresentable{{Reason: "not desired, but the directory can neither delete nor deactivate it"}}
	}
	return it, true
}

func cleanRoles(rs []string) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// sameRoles compares two role lists as sets, without regard to case.
func sameRoles(a, b []string) bool {
	norm := func(rs []string) []string {
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			if r = normKey(r); r != "" {
				out = append(out, r)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

var actionOrder = map[Action]int{ActionRemove: 0, ActionUpdate: 1, ActionCreate: 2, ActionNone: 3}

func sortItems(items []PlanItem) {
	slices.SortStableFunc(items, func(a, b PlanItem) int {
		return cmp.Or(
			cmp.Compare(normKey(a.Key), normKey(b.Key)),
			cmp.Compare(actionOrder[a.Action], actionOrder[b.Action]),
			cmp.Compare(a.ID, b.ID),
		)
	})
}

// Fingerprint returns a digest of the fields of u a plan compares (id,
// username, email, names, active, roles): Apply re-reads a user before it
// writes and compares its fingerprint with the one planned.
func Fingerprint(u *User) string {
	h := sha256.New()
	roles := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, normKey(r))
	}
	slices.Sort(roles)
	for _, s := range []string{u.ID, u.Username, u.Email, u.Name, u.FirstName, u.LastName, strconv.FormatBool(u.Active), strings.Join(roles, "\x1f"), userExternalID(u)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
