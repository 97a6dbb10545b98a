package usermgmt

import "context"

type idempotencyKeyCtx struct{}

// WithIdempotencyKey returns a context that carries key as the idempotency
// key of the next logical call made with it. Providers whose API takes a key
// (Syncari's clientRequestId) send it verbatim on every attempt of that call;
// without one they make a fresh key per logical call. Use one key per
// logical operation: reusing a key for a different create returns the first
// create's result.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

// IdempotencyKey returns the key set by WithIdempotencyKey, and whether one
// was set.
func IdempotencyKey(ctx context.Context) (string, bool) {
	k, ok := ctx.Value(idempotencyKeyCtx{}).(string)
	return k, ok && k != ""
}
