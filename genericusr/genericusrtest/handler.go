package genericusrtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/usermgmt-go/sdk/genericusr/genericusrtest/internal/api"
)

// handler implements the generated strict server interface over the
// fake's state.
type handler struct{ s *Server }

var _ api.StrictServerInterface = (*handler)(nil)

// failure is an error the fake reports in the vendor's style.
type failure struct {
	status  int
	message string
}

func (s *Server) fail(status int, message string) *failure {
	if s.errorStatus != 0 {
		status = s.errorStatus
	}
	return &failure{status: status, message: message}
}

func (s *Server) unknownUser() *failure {
	return s.fail(http.StatusNotFound, "Unknown userId Error")
}

func (s *Server) unknownAccount() *failure {
	return s.fail(http.StatusNotFound, "Unknown accountId Error")
}

func (h *handler) GetUserListByAccountID(_ context.Context, req api.GetUserListByAccountIDRequestObject) (api.GetUserListByAccountIDResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.accounts[req.AccountID] {
		f := s.unknownAccount()
		return api.GetUserListByAccountIDdefaultJSONResponse{StatusCode: f.status, Body: errBody(f.message)}, nil
	}
	list := userList{}
	for _, id := range s.ids() {
		if r := s.users[id]; r.account == req.AccountID {
			list = append(list, r.wire())
		}
	}
	return list, nil
}

// userList answers getUserListByAccountId with a bare JSON array, as the
// API does. (The generated GetUserListByAccountID200JSONResponse embeds the
// list in a struct, which encodes as {"UserListResultJSONResponse":[...]}.)
type userList []api.User

func (l userList) VisitGetUserListByAccountIDResponse(w http.ResponseWriter) error {
	b, err := json.Marshal([]api.User(l))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	return err
}

func (h *handler) GetUser(_ context.Context, req api.GetUserRequestObject) (api.GetUserResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[req.UserID]
	if !ok {
		f := s.unknownUser()
		return api.GetUserdefaultJSONResponse{StatusCode: f.status, Body: errBody(f.message)}, nil
	}
	return api.GetUser200JSONResponse{UserResultJSONResponse: api.UserResultJSONResponse(r.wire())}, nil
}

func (h *handler) AddUser(_ context.Context, req api.AddUserRequestObject) (api.AddUserResponseObject, error) {
	u, f := h.s.add(req.JSONBody, req.Body)
	if f != nil {
		return api.AddUserdefaultJSONResponse{StatusCode: f.status, Body: errBody(f.message)}, nil
	}
	return api.AddUser200JSONResponse{UserResultJSONResponse: api.UserResultJSONResponse(u)}, nil
}

func (h *handler) AddUserPut(_ context.Context, req api.AddUserPutRequestObject) (api.AddUserPutResponseObject, error) {
	u, f := h.s.add(req.JSONBody, req.Body)
	if f != nil {
		return api.AddUserPutdefaultJSONResponse{StatusCode: f.status, Body: errBody(f.message)}, nil
	}
	return api.AddUserPut200JSONResponse{UserResultJSONResponse: api.UserResultJSONResponse(u)}, nil
}

func (h *handler) ModifyUser(_ context.Context, req api.ModifyUserRequestObject) (api.ModifyUserResponseObject, error) {
	u, f := h.s.modify(req.UserID, req.JSONBody, req.Body)
	if f != nil {
		return api.ModifyUserdefaultJSONResponse{StatusCode: f.status, Body: errBody(f.message)}, nil
	}
	return api.ModifyUser200JSONResponse{UserResultJSONResponse: api.UserResultJSONResponse(u)}, nil
}

func (h *handler) ModifyUserPut(_ context.Context, req api.ModifyUserPutRequestObject) (api.ModifyUserPutResponseObject, error) {
	u, f := h.s.modify(req.UserID, req.JSONBody, req.Body)
	if f != nil {
		return api.ModifyUserPutdefaultJSONResponse{StatusCode: f.status, Body: errBody(f.message)}, nil
	}
	return api.ModifyUserPut200JSONResponse{UserResultJSONResponse: api.UserResultJSONResponse(u)}, nil
}

func (h *handler) DeleteUser(_ context.Context, req api.DeleteUserRequestObject) (api.DeleteUserResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[req.UserID]; !ok {
		f := s.unknownUser()
		return api.DeleteUserdefaultJSONResponse{StatusCode: f.status, Body: errBody(f.message)}, nil
	}
	s.usernames.Remove(s.users[req.UserID].username, req.UserID)
	delete(s.users, req.UserID)
	var ok api.DeleteUser200JSONResponse
	if err := (*api.DeleteUserResult)(&ok).FromDeleteUserResult0(true); err != nil {
		return nil, err
	}
	return ok, nil
}

// bodyOf returns the decoded body: the one the generated server decoded
// (application/json, and text/javascript, which the fake's validation hands
// on as application/json), or raw read as JSON.
func bodyOf[T any](decoded *T, raw io.Reader) (*T, *failure) {
	if decoded != nil {
		return decoded, nil
	}
	v := new(T)
	if raw == nil {
		return nil, &failure{http.StatusBadRequest, "missing request body"}
	}
	if err := json.NewDecoder(raw).Decode(v); err != nil {
		return nil, &failure{http.StatusBadRequest, "the request body is not valid JSON"}
	}
	return v, nil
}

// intOf reads an IntegerOrString: a JSON number or a string of digits.
func intOf(v api.IntegerOrString) (int64, bool) {
	if n, err := v.AsIntegerNumber(); err == nil {
		return n, true
	}
	if s, err := v.AsNumericString(); err == nil {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func (s *Server) activeOf(v *api.IntegerOrString) (bool, *failure) {
	n, ok := intOf(*v)
	if !ok || (n != 0 && n != 1) {
		return false, s.fail(http.StatusBadRequest, "active must be 0 or 1")
	}
	return n == 1, nil
}

// taken reports whether another user than id has username (compared
// without case). Callers hold mu.
func (s *Server) taken(username string, id int64) bool {
	for _, other := range s.usernames.Lookup(username) {
		if other != id {
			return true
		}
	}
	return false
}

func (s *Server) add(decoded *api.AddUserRequest, raw io.Reader) (api.User, *failure) {
	b, f := bodyOf(decoded, raw)
	if f != nil {
		return api.User{}, s.fail(f.status, f.message)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	account, ok := intOf(b.DefaultAccountID)
	switch {
	case !ok:
		return api.User{}, s.fail(http.StatusBadRequest, "defaultAccountId must be an integer")
	case !s.accounts[account]:
		return api.User{}, s.fail(http.StatusNotFound, "Unknown defaultAccountId Error")
	case b.Password == nil || *b.Password == "":
		return api.User{}, s.fail(http.StatusBadRequest, "password is required")
	case strings.TrimSpace(b.Username) == "" || strings.TrimSpace(b.ContactName) == "" || strings.TrimSpace(b.EmailAddress) == "":
		return api.User{}, s.fail(http.StatusBadRequest, "contactName, emailAddress and username must not be empty")
	case s.taken(b.Username, 0):
		return api.User{}, s.fail(http.StatusConflict, "Username already exists")
	}
	r := &record{contactName: b.ContactName, email: b.EmailAddress, username: b.Username,
		account: account, active: true, password: *b.Password}
	if b.Active != nil {
		if r.active, f = s.activeOf(b.Active); f != nil {
			return api.User{}, f
		}
	}
	s.store(r)
	return r.wire(), nil
}

func (s *Server) modify(id int64, decoded *api.ModifyUserRequest, raw io.Reader) (api.User, *failure) {
	b, f := bodyOf(decoded, raw)
	if f != nil {
		return api.User{}, s.fail(f.status, f.message)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.users[id]
	if !ok {
		return api.User{}, s.unknownUser()
	}
	next := *cur // apply to a copy: a failure changes nothing
	if b.ContactName != nil {
		next.contactName = *b.ContactName
	}
	if b.EmailAddress != nil {
		next.email = *b.EmailAddress
	}
	if b.Username != nil {
		if s.taken(*b.Username, id) {
			return api.User{}, s.fail(http.StatusConflict, "Username already exists")
		}
		next.username = *b.Username
	}
	if b.Password != nil {
		next.password = *b.Password
	}
	if b.DefaultAccountID != nil {
		account, ok := intOf(*b.DefaultAccountID)
		if !ok || !s.accounts[account] {
			return api.User{}, s.fail(http.StatusNotFound, "Unknown defaultAccountId Error")
		}
		next.account = account
	}
	if b.Active != nil {
		if next.active, f = s.activeOf(b.Active); f != nil {
			return api.User{}, f
		}
	}
	s.usernames.Remove(cur.username, id)
	*cur = next
	s.usernames.Add(cur.username, id)
	return cur.wire(), nil
}
