package usermgmt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// String returns the plan as WriteTo prints it.
func (p *DirectoryPlan) String() string {
	var b strings.Builder
	_, _ = p.WriteTo(&b)
	return b.String()
}

// WriteTo prints the plan as a readable diff: a header naming the
// directory, then one entry per item, "+" for a create, "~" for an update
// (each field as old → new), "-" for a removal and "!" for a value the
// directory cannot represent, then a summary line. Passwords are never
// printed.
func (p *DirectoryPlan) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	p.write(&b)
	return b.WriteTo(w)
}

func (p *DirectoryPlan) write(b *bytes.Buffer) {
	title := p.Provider
	if p.Name != "" && p.Name != p.Provider {
		title = p.Name + " (" + p.Provider + ")"
	}
	fmt.Fprintf(b, "%s: %s listed, %d desired, matched by %s", title, plural(p.Listed, "user"), p.Desired, naturalKeyName(p.NaturalKey))
	if p.Prune {
		b.WriteString(", pruning")
	}
	b.WriteString("\n")
	for i := range p.Items {
		writeItem(b, &p.Items[i])
	}
	c := p.Counts()
	if p.Empty() {
		b.WriteString("No changes.")
	} else {
		fmt.Fprintf(b, "Plan: %d to create, %d to update, %d to remove.", c.Create, c.Update, c.Remove)
	}
	if c.NotRepresentable > 0 {
		fmt.Fprintf(b, " %d with values not representable.", c.NotRepresentable)
	}
	b.WriteString("\n")
}

func writeItem(b *bytes.Buffer, it *PlanItem) {
	sign := map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionRemove: "-", ActionNone: "!"}[it.Action]
	if sign == "" {
		sign = "?"
	}
	b.WriteString(sign + " " + it.Key)
	if it.ID != "" {
		b.WriteString(" (id " + it.ID + ")")
	}
	switch {
	case it.Action == ActionRemove && it.RemoveBy == RemoveByDelete && it.RemoveMeans != "":
		b.WriteString(": delete, which " + it.RemoveMeans + "s")
	case it.Action == ActionRemove:
		b.WriteString(": " + it.RemoveBy)
	}
	b.WriteString("\n")
	for _, c := range it.Changes {
		old, nw := quoteValue(c.Field, c.Old, c.OldRoles), quoteValue(c.Field, c.New, c.NewRoles)
		if it.Action == ActionCreate {
			fmt.Fprintf(b, "    %s: %s\n", c.Field, nw)
		} else {
			fmt.Fprintf(b, "    %s: %s → %s\n", c.Field, old, nw)
		}
	}
	for _, n := range it.NotRepresentable {
		switch {
		case n.Field == "":
			fmt.Fprintf(b, "  ! %s\n", n.Reason)
		default:
			fmt.Fprintf(b, "  ! %s: %s not representable: %s\n", n.Field, strconv.Quote(n.Value), n.Reason)
		}
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func quoteValue(field, v string, roles []string) string {
	switch field {
	case FieldActive:
		return v
	case FieldPassword:
		return "(set)"
	case FieldRoles:
		q := make([]string, len(roles))
		for i, r := range roles {
			q[i] = strconv.Quote(r)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return strconv.Quote(v)
}

// UnmarshalJSON reads a plan encoded by encoding/json, refusing any format
// but PlanFormat.
func (p *DirectoryPlan) UnmarshalJSON(data []byte) error {
	type plain DirectoryPlan
	var v plain
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	if v.Format != PlanFormat {
		return &InputError{Provider: "usermgmt", Operation: "ReadPlan", Field: "format",
			Reason: fmt.Sprintf("%q is not %q", v.Format, PlanFormat)}
	}
	*p = DirectoryPlan(v)
	return nil
}

// MultiPlan is one desired roster planned against several directories, one
// section each, in the order given to PlanAll.
type MultiPlan struct {
	// Format is MultiPlanFormat.
	Format      string           `json:"format"`
	Directories []*DirectoryPlan `json:"directories"`
}

// Empty reports whether no section changes anything.
func (m *MultiPlan) Empty() bool {
	for _, p := range m.Directories {
		if !p.Empty() {
			return false
		}
	}
	return true
}

// String returns the plan as WriteTo prints it.
func (m *MultiPlan) String() string {
	var b strings.Builder
	_, _ = m.WriteTo(&b)
	return b.String()
}

// WriteTo prints every directory's section, as DirectoryPlan.WriteTo does,
// separated by blank lines.
func (m *MultiPlan) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	for i, p := range m.Directories {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("== ")
		p.write(&b)
	}
	return b.WriteTo(w)
}

// UnmarshalJSON reads a multi-directory plan, refusing any format but
// MultiPlanFormat.
func (m *MultiPlan) UnmarshalJSON(data []byte) error {
	type plain MultiPlan
	var v plain
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	if v.Format != MultiPlanFormat {
		return &InputError{Provider: "usermgmt", Operation: "ReadPlan", Field: "format",
			Reason: fmt.Sprintf("%q is not %q", v.Format, MultiPlanFormat)}
	}
	*m = MultiPlan(v)
	return nil
}
