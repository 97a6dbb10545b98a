package bss_test

import (
	"errors"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		cfg   bss.Config
		opts  []usermgmt.Option
		field string // "" means the config is valid
	}{
		{"valid", bss.Config{BaseURL: "https://bss.example.com", APIKey: "k"}, nil, ""},
		{"valid with path prefix", bss.Config{BaseURL: "https://example.com/bss/", APIKey: "k"}, nil, ""},
		{"loopback http", bss.Config{BaseURL: "http://127.0.0.1:8080", APIKey: "k"}, nil, ""},
		{"insecure allowed", bss.Config{BaseURL: "http://bss.internal", APIKey: "k"}, []usermgmt.Option{usermgmt.WithInsecureHTTP()}, ""},
		{"no base URL (customer-specific, no default)", bss.Config{APIKey: "k"}, nil, "base URL"},
		{"relative base URL", bss.Config{BaseURL: "bss.example.com", APIKey: "k"}, nil, "base URL"},
		{"credentials in the URL", bss.Config{BaseURL: "https://u:p@bss.example.com", APIKey: "k"}, nil, "base URL"},
		{"plain http", bss.Config{BaseURL: "http://bss.example.com", APIKey: "k"}, nil, "base URL"},
		{"no key", bss.Config{BaseURL: "https://bss.example.com"}, nil, "APIKey"},
		{"blank key", bss.Config{BaseURL: "https://bss.example.com", APIKey: "  "}, nil, "APIKey"},
		{"key with a newline", bss.Config{BaseURL: "https://bss.example.com", APIKey: "k\r\nX-Evil: 1"}, nil, "APIKey"},
		{"key with spaces around", bss.Config{BaseURL: "https://bss.example.com", APIKey: " k"}, nil, "APIKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := bss.New(tt.cfg, tt.opts...)
			if tt.field == "" {
				if err != nil || c == nil {
					t.Fatalf("New = %v, %v; want a client", c, err)
				}
				return
			}
			var inErr *usermgmt.InputError
			if !errors.As(err, &inErr) || !errors.Is(err, usermgmt.ErrInvalidInput) || inErr.Field != tt.field || c != nil {
				t.Fatalf("New = %v, %v; want an InputError on %s", c, err, tt.field)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	_, err := bss.New(bss.Config{BaseURL: "https://bss.example.com", APIKey: "k"},
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: -1}))
	if err == nil {
		t.Fatal("New accepted a retry policy with -1 attempts")
	}
}
