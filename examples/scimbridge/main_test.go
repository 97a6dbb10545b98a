package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestBridgeProvisionsAUser starts the bridge on the bss fake, on a free
// loopback port, provisions a user through it with plain HTTP requests,
// and stops it as a signal would.
func TestBridgeProvisionsAUser(t *testing.T) {
	out, logs := runBridge(t)
	if !strings.Contains(logs, `"msg":"scim request"`) || !strings.Contains(logs, `"status":201`) {
		t.Errorf("request logs: %s", logs)
	}
	if strings.Contains(out, "Directory.CreateUser") {
		t.Errorf("spans printed without -otel: %s", out)
	}
}

// TestBridgeOtel: with -otel the bridge prints the spans of the calls it
// made and its metrics, without the token or the password.
func TestBridgeOtel(t *testing.T) {
	out, _ := runBridge(t, "-otel")
	for _, want := range []string{`"Name":"bss Directory.CreateUser"`, `"Name":"bss createUser"`, `"Name":"bss createUser attempt"`, `"Name":"usermgmt.client.call.duration"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the -otel output has no %s", want)
		}
	}
	for _, secret := range []string{bridgeToken, "Cobol-1959-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("the -otel output contains %q", secret)
		}
	}
}

const bridgeToken = "example-token-0123456789abcdef"

// runBridge starts the bridge on the bss fake with extra flags, on a free
// loopback port, provisions a user through it with plain HTTP requests,
// stops it as a signal would, and returns its standard output (the banner
// aside) and its logs.
func runBridge(t *testing.T, extra ...string) (stdout, logs string) {
	const token = bridgeToken
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		defer outW.Close()
		done <- run(ctx, append([]string{"-provider", "bss", "-addr", "127.0.0.1:0"}, extra...), outW, &stderr,
			func(k string) string { return map[string]string{"SCIM_TOKEN": token}[k] })
	}()
	lines := bufio.NewScanner(outR)
	lines.Buffer(nil, 16<<20) // -otel writes all metrics on one line
	if !lines.Scan() {
		t.Fatalf("no banner; stderr: %s", stderr.String())
	}
	banner := lines.Text()
	var rest lockedBuffer
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for lines.Scan() {
			rest.Write(append(lines.Bytes(), '\n'))
		}
	}()
	i := strings.Index(banner, "http://")
	if i < 0 || !strings.Contains(banner, "bss") {
		t.Fatalf("banner %q", banner)
	}
	base := banner[i:]
	do := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/scim+json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(res.Body).Decode(&m)
		return res.StatusCode, m
	}
	filter := "/Users?filter=" + url.QueryEscape(`userName eq "grace@example.com"`) + "&startIndex=1&count=100"
	if st, m := do("GET", filter, ""); st != 200 || m["totalResults"] != 0.0 {
		t.Fatalf("existence check: %d %v", st, m)
	}
	st, m := do("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"grace@example.com",
		"name":{"givenName":"Grace","familyName":"Hopper"},"emails":[{"value":"grace@example.com","type":"work","primary":true}],
		"password":"Cobol-1959-secret","active":true}`)
	if st != 201 {
		t.Fatalf("create: %d %v", st, m)
	}
	id, _ := m["id"].(string)
	if st, m := do("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`); st != 200 || m["active"] != false {
		t.Fatalf("deactivate: %d %v", st, m)
	}
	if st, m := do("GET", filter, ""); st != 200 || m["totalResults"] != 1.0 {
		t.Fatalf("filter: %d %v", st, m)
	}
	if st, _ := do("DELETE", "/Users/"+id, ""); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	res, err := http.Get(strings.TrimSuffix(base, "/scim/v2") + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the bridge did not stop")
	}
	<-drained
	logs = stderr.String()
	for _, secret := range []string{token, "Cobol-1959-secret"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain %q", secret)
		}
	}
	return rest.String(), logs
}

func TestBridgeFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	ctx := context.Background()
	if code := run(ctx, []string{"-provider", "nope"}, &out, &errOut, func(string) string { return "" }); code != 2 {
		t.Errorf("unknown provider: exit %d", code)
	}
	if code := run(ctx, []string{"-tls-cert", "x.pem"}, &out, &errOut, func(string) string { return "" }); code != 2 {
		t.Errorf("-tls-cert alone: exit %d", code)
	}
	errOut.Reset()
	if code := run(ctx, []string{"-help"}, &out, &errOut, func(string) string { return "" }); code != 0 || !strings.Contains(errOut.String(), "BSS_API_KEY") || !strings.Contains(errOut.String(), "SCIM_TOKEN") {
		t.Errorf("-help: %d %s", code, errOut.String())
	}
}

// TestBridgeServesTLS starts the bridge with -tls-cert and -tls-key and
// reads /healthz and the ServiceProviderConfig over HTTPS.
func TestBridgeServesTLS(t *testing.T) {
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		defer outW.Close()
		done <- run(ctx, []string{"-provider", "genericusr", "-addr", "127.0.0.1:0", "-tls-cert", certFile, "-tls-key", keyFile}, outW, &stderr,
			func(string) string { return "" })
	}()
	lines := bufio.NewScanner(outR)
	var banner, tokenLine string
	if lines.Scan() {
		banner = lines.Text()
	}
	if lines.Scan() {
		tokenLine = lines.Text()
	}
	go func() {
		for lines.Scan() { // drain
		}
	}()
	i := strings.Index(banner, "https://")
	tok, ok := strings.CutPrefix(tokenLine, "bearer token: ")
	if i < 0 || !ok || len(tok) < 32 {
		t.Fatalf("banner %q, token line %q; stderr: %s", banner, tokenLine, stderr.String())
	}
	pool := x509.NewCertPool()
	pool.AddCert(must(x509.ParseCertificate(der)))
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer c.CloseIdleConnections()
	base := banner[i:]
	res, err := c.Get(strings.TrimSuffix(base, "/scim/v2") + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	req, _ := http.NewRequest("GET", base+"/ServiceProviderConfig", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err = c.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("ServiceProviderConfig: %v %v", res, err)
	}
	res.Body.Close()
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), tok) {
		t.Error("the generated token is in the logs")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
