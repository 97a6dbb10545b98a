package usermgmt

import "context"

type idempotencyKeyCtx struct{}

// WithIdempotencyKey returns a context that carries key as the idempotency
// key of every call made with it. Providers whose API takes a key (Syncari's
// clientRequestId) send it verbatim on every attempt of such a call; without
// one they make a fresh key per logical call. Use the context for one
// logical operation only: a second create made with the same key returns
// the first create's result. An empty key removes the key from the context.
// Provision and the Directory adapters' look-ups start from a context
// without the caller's key.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

// IdempotencyKey returns the key set by WithIdempotencyKey, and whether one
// was set.
func IdempotencyKey(ctx context.Context) (string, bool) {
	k, ok := ctx.Value(idempotencyKeyCtx{}).(string)
	return k, ok && k != ""
}
