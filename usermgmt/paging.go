package usermgmt

import (
	"context"
	"iter"
)

// PageFunc fetches the page that starts at cursor. It returns the items of
// the page, the cursor of the next page, and whether there is a next page.
type PageFunc[T, C any] func(ctx context.Context, cursor C) (items []T, next C, more bool, err error)

// Paginate returns an iterator over every item of a paginated listing,
// fetching pages lazily with fetch, starting at first. Only one page is held
// in memory; breaking out of the loop stops fetching. An error (including
// the context's) is yielded once, as the last element.
func Paginate[T, C any](ctx context.Context, first C, fetch PageFunc[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		cursor := first
		for {
			var zero T
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, more, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for i := range items {
				if !yield(items[i], nil) {
					return
				}
			}
			if !more {
				return
			}
			cursor = next
		}
	}
}

// Collect drains seq into a slice, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// FromSlice returns an iterator over items, for APIs that return a whole list
// in one response.
func FromSlice[T any](items []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for i := range items {
			if !yield(items[i], nil) {
				return
			}
		}
	}
}

// Failed returns an iterator that yields err once.
func Failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
