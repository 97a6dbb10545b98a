package syncari

import (
	"context"
	"time"

	"github.com/usermgmt-go/sdk/internal/ptr"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/syncari/internal/wire"
)

// Role is a role that can be granted to users in an instance.
type Role struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	System      bool        `json:"system"`
	Active      bool        `json:"active"`
	Privileges  []Privilege `json:"privileges,omitempty"`
	CreatedBy   string      `json:"createdBy,omitempty"`
	CreatedAt   time.Time   `json:"createdAt"`
	UpdatedBy   string      `json:"updatedBy,omitempty"`
	UpdatedAt   time.Time   `json:"updatedAt"`
}

// Privilege is one privilege of a role on one resource.
type Privilege struct {
	ResourceID  string `json:"resourceId"`
	PrivilegeID string `json:"privilegeId"`
}

// ListRoles returns the roles that can be granted.
func (c *Client) ListRoles(ctx context.Context) ([]Role, error) {
	const op = "getRoles"
	if err := c.check(ctx, op); err != nil {
		return nil, err
	}
	ctx, inst, key := c.call(ctx, op, transport.Idempotent)
	resp, err := c.api.GetRoles(ctx, &wire.GetRolesParams{SyncariID: inst, ClientRequestID: key})
	if err != nil {
		return nil, err
	}
	env, err := decode(c, ctx, resp, func(e *wire.RoleListEnvelope) bool { return e.Success }, roleListMissing)
	if err != nil {
		return nil, err
	}
	out := make([]Role, len(env.Result))
	for i, w := range env.Result {
		r := Role{
			ID:          w.ID,
			Name:        w.Name,
			Description: ptr.Value(w.Description),
			System:      ptr.Value(w.System),
			Active:      ptr.Value(w.Active),
			CreatedBy:   ptr.Value(w.CreatedBy),
			CreatedAt:   ptr.Value(w.CreatedAt),
			UpdatedBy:   ptr.Value(w.UpdatedBy),
			UpdatedAt:   ptr.Value(w.UpdatedAt),
		}
		if w.Privileges != nil {
			for _, p := range *w.Privileges {
				r.Privileges = append(r.Privileges, Privilege{ResourceID: ptr.Value(p.ResourceID), PrivilegeID: ptr.Value(p.PrivilegeID)})
			}
		}
		out[i] = r
	}
	return out, nil
}

// SetUserRoles replaces the user's roles with roles and returns the user.
// Assumed: the body is {"userRoles": roles}; the vendor documents none.
func (c *Client) SetUserRoles(ctx context.Context, userID string, roles Roles) (*User, error) {
	const op = "setUserRoles"
	if err := c.check(ctx, op); err != nil {
		return nil, err
	}
	if err := validateID(op, "userID", userID); err != nil {
		return nil, err
	}
	if roles == nil {
		return nil, inputError(op, "roles", "must not be nil; pass an empty Roles to remove every role")
	}
	if err := validateRoles(op, roles); err != nil {
		return nil, err
	}
	ctx, inst, key := c.call(ctx, op, transport.IdempotentWrite)
	resp, err := c.api.SetUserRoles(ctx, userID, &wire.SetUserRolesParams{SyncariID: inst, ClientRequestID: key},
		wire.SetUserRolesRequest{UserRoles: copyRoles(roles)})
	return c.user(ctx, resp, err)
}

// RemoveUserRole removes one role from the user in the client's instance
// and returns the user.
func (c *Client) RemoveUserRole(ctx context.Context, userID, roleID string) (*User, error) {
	const op = "removeUserRole"
	if err := c.check(ctx, op); err != nil {
		return nil, err
	}
	if err := validateID(op, "userID", userID); err != nil {
		return nil, err
	}
	if err := validateID(op, "roleID", roleID); err != nil {
		return nil, err
	}
	ctx, inst, key := c.call(ctx, op, transport.IdempotentWrite)
	resp, err := c.api.RemoveUserRole(ctx, userID, roleID, &wire.RemoveUserRoleParams{SyncariID: inst, ClientRequestID: key})
	return c.user(ctx, resp, err)
}
