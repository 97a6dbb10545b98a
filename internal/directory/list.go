package directory

import (
	"iter"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Users adapts a provider's listing to the Directory's: each item is
// converted with conv and kept when it passes opts' filters; an error ends
// the listing.
func Users[T any](seq iter.Seq2[T, error], conv func(*T) *usermgmt.User, opts *usermgmt.ListOptions) iter.Seq2[usermgmt.User, error] {
	return func(yield func(usermgmt.User, error) bool) {
		for item, err := range seq {
			if err != nil {
				yield(usermgmt.User{}, err)
				return
			}
			u := conv(&item)
			if opts.Keep(u) && !yield(*u, nil) {
				return
			}
		}
	}
}
