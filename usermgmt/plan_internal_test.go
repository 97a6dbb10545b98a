package usermgmt

import (
	"hash/maphash"
	"testing"
)

// TestDesiredIndexCollisions checks the path of two keys whose hashes
// collide, which a random seed makes too rare to meet otherwise: the
// second key is kept apart and still found, and a listed key that merely
// shares the hash matches nobody.
func TestDesiredIndexCollisions(t *testing.T) {
	users := []DesiredUser{{Email: "a@x.io"}, {Email: "B@x.io"}}
	ix := &desiredIndex{users: users, naturalKey: "email", seed: maphash.MakeSeed(), byHash: map[uint64]int32{}}
	// Pretend b's hash is a's: b goes to collided.
	ix.byHash[ix.hashKey("a@x.io")] = 0
	ix.collided = map[string]int32{"b@x.io": 1}
	for key, want := range map[string]int{"a@x.io": 0, " A@X.IO": 0, "b@x.io": 1, "b@X.io": 1, "c@x.io": -1} {
		if got := ix.lookup(key); got != want {
			t.Errorf("lookup(%q) = %d, want %d", key, got, want)
		}
	}
	if ix.hashKey("A@x.io ") != ix.hashKey("a@x.io") {
		t.Error("hashKey does not normalise")
	}
}
