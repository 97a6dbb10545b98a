// Package ptr converts between the values the public types hold and the
// pointers generated wire types use for optional fields.
package ptr

// NonZero returns a pointer to v, or nil when v is the zero value: an
// optional field left unset is not sent.
func NonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// Value returns *p, or the zero value when p is nil.
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
