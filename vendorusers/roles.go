package vendorusers

import (
	"context"
	"fmt"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/vendorusers/internal/wire"
)

// Role is a role that can be set for a user. Role ids are not a closed
// set: the documentation lists 2 (Supervisor), 3 (Product manager), 4
// (Sales manager) and 5 (Developer), and describes an Administrator role
// without listing it. The flags are permissions whose meaning follows
// their names (Assumed: roles are documented only in prose).
type Role struct {
	// ID is the role's id, the RoleID of CreateUserInput and
	// UpdateUserInput.
	ID int64 `json:"_id"`
	// CreateOrders: order and customer management.
	CreateOrders bool `json:"createorders"`
	// CreateProducts: product and feature management.
	CreateProducts bool `json:"createproducts"`
	// CreateUsers: user management.
	CreateUsers bool `json:"createusers"`
	// ManageProtect: Software Protection.
	ManageProtect bool `json:"manageprotect"`
	// Name is the role's English name, e.g. "Developer" (nameeng).
	Name string `json:"nameeng"`
	// ReadVendorBalance: reading the vendor's balance. Nil when the
	// service leaves it out, as it does in the role embedded in a user.
	ReadVendorBalance *bool `json:"readvendorbalance,omitempty"`
}

// ListRoles returns the roles that can be set for users.
//
// It calls getRoles (GET /v1.0/users/roles), a read: retried on 429, 5xx
// and transport errors.
func (c *Client) ListRoles(ctx context.Context) ([]Role, error) {
	const op = "getRoles"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	ctx = transport.WithCall(ctx, op, transport.Idempotent)
	resp, err := c.api.GetRoles(ctx)
	if err != nil {
		return nil, err
	}
	type answer struct {
		Roles []wire.Role `json:"roles"`
		errorBody
	}
	a, err := transport.DecodeJSON[answer](c.t, ctx, resp, readError)
	if err != nil {
		return nil, err
	}
	if a.Roles == nil {
		return nil, c.bodyError(ctx, resp, &a.errorBody, false, "roles")
	}
	out := make([]Role, len(a.Roles))
	for i := range a.Roles {
		if m := roleMissing(&a.Roles[i]); len(m) > 0 {
			return nil, c.incomplete(ctx, resp, false, prefixed(fmt.Sprintf("roles[%d].", i), m)...)
		}
		out[i] = roleFromWire(&a.Roles[i])
	}
	return out, nil
}

func roleFromWire(w *wire.Role) Role {
	return Role{
		ID:                w.ID,
		CreateOrders:      w.CreateOrders,
		CreateProducts:    w.CreateProducts,
		CreateUsers:       w.CreateUsers,
		ManageProtect:     w.ManageProtect,
		Name:              w.NameEng,
		ReadVendorBalance: copyPtr(w.ReadVendorBalance),
	}
}
