// Package otelout sets up OpenTelemetry for the example programs' -otel
// flag: spans and metrics printed as JSON to a writer by the SDK's stdout
// exporters, so that they can be seen without a collector.
package otelout

import (
	"context"
	"errors"
	"io"

	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Setup returns the client options that record spans and metrics to w,
// and the function that flushes them (metrics are written when it is
// called, or every minute in a long run) and stops the providers.
func Setup(w io.Writer) ([]usermgmt.Option, func(context.Context) error, error) {
	se, err := stdouttrace.New(stdouttrace.WithWriter(w))
	if err != nil {
		return nil, nil, err
	}
	me, err := stdoutmetric.New(stdoutmetric.WithWriter(w))
	if err != nil {
		return nil, nil, err
	}
	// A syncer writes each span as it ends: nothing is lost when the
	// program exits early.
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(se))
	// The periodic reader exports once more on Shutdown: the metrics of a
	// short run are written then.
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(me)))
	shutdown := func(ctx context.Context) error {
		return errors.Join(tp.Shutdown(ctx), mp.Shutdown(ctx))
	}
	return []usermgmt.Option{usermgmt.WithTracerProvider(tp), usermgmt.WithMeterProvider(mp)}, shutdown, nil
}
