package bss_test

import (
	"context"
	"net/http"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// dropSpans is a span processor that keeps nothing: the SDK still builds
// and ends every span, as it does before an exporter.
type dropSpans struct{}

func (dropSpans) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (dropSpans) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (dropSpans) Shutdown(context.Context) error                  { return nil }
func (dropSpans) ForceFlush(context.Context) error                { return nil }

// BenchmarkTelemetry measures one getUserById call through the Directory
// with no telemetry (the default), with OpenTelemetry's no-op providers,
// and with the SDK's providers (every span built, metrics aggregated in
// memory).
func BenchmarkTelemetry(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodGet, Path: benchUsersPath + "/" + benchID, Body: benchSample(b, "get_user_response.json")})
	open := func(opts ...usermgmt.Option) *usermgmt.Directory {
		c, err := bss.New(bss.Config{BaseURL: srv.URL, APIKey: benchKey}, opts...)
		if err != nil {
			b.Fatal(err)
		}
		d, err := bss.NewDirectory(c, bss.DirectoryConfig{})
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	none := open()
	noop := open(usermgmt.WithTracerProvider(tracenoop.NewTracerProvider()), usermgmt.WithMeterProvider(metricnoop.NewMeterProvider()))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(dropSpans{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	sdk := open(usermgmt.WithTracerProvider(tp), usermgmt.WithMeterProvider(mp))
	get := func(d *usermgmt.Directory) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := d.GetUser(ctx, benchID)
			return err
		}
	}
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "none", Op: get(none)},
		{Name: "noop", Op: get(noop)},
		{Name: "sdk", Op: get(sdk)},
	})
}
