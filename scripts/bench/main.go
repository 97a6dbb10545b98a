// Command bench runs the SDK's benchmarks and prints what BENCHMARKS.md
// shows: for one call per API, the ratios of the generated client, the
// hand-written client and the facade to a hand-written net/http baseline
// (ns/op, B/op, allocs/op); the time per user and the heap of iterating
// 10,000 and 100,000 users; bulk provisioning; and the retry path.
//
//	go run ./scripts/bench                 # 5 rounds, 1s per benchmark
//	go run ./scripts/bench -count 10 -o bench.txt
//
// It builds each package's test binary once, then runs every binary once
// per round, round after round, so that a slow spell of a shared machine
// falls on every variant alike rather than on whichever ran then. Each
// figure is the median over the rounds. The raw output (-o) is in the
// standard format that benchstat reads:
//
//	go run golang.org/x/perf/cmd/benchstat@latest bench.txt
//
// The provisioning benchmarks take about 12 s and run once, with
// -benchtime=1x, after the rounds; -bulk=false skips them.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// providers returns the packages with call benchmarks, in the order the
// tables list them.
func providers() []string { return []string{"syncari", "dbsync", "genericusr", "vendorusers", "bss"} }

// variants returns the variants of a call benchmark, in table order;
// baseline is the reference and server the server's own share.
func variants() []string { return []string{"baseline", "wire", "client", "facade", "server"} }

func main() {
	count := flag.Int("count", 5, "rounds: how often each benchmark runs; figures are medians over the rounds")
	benchtime := flag.String("benchtime", "1s", "-benchtime of the call, iteration and retry benchmarks")
	bulk := flag.Bool("bulk", true, "run the provisioning benchmarks (about 12 s, once, -benchtime=1x)")
	out := flag.String("o", "", "also write the raw benchmark output to this file (for benchstat)")
	flag.Parse()
	if err := run(*count, *benchtime, *bulk, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(count int, benchtime string, bulk bool, out string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "usermgmt-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bins := map[string]string{}
	for _, p := range providers() {
		bin := filepath.Join(tmp, p+".test")
		fmt.Fprintf(os.Stderr, "building %s\n", p)
		cmd := exec.Command("go", "test", "-c", "-o", bin, "./"+p)
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building the %s benchmarks: %w", p, err)
		}
		bins[p] = bin
	}

	var raw bytes.Buffer
	bench := func(p, pattern, benchtime string) error {
		fmt.Fprintf(os.Stderr, "  %s %s\n", p, pattern)
		cmd := exec.Command(bins[p], "-test.run", "^$", "-test.bench", pattern, "-test.benchmem",
			"-test.count", "1", "-test.benchtime", benchtime)
		cmd.Dir, cmd.Stdout, cmd.Stderr = filepath.Join(root, p), &raw, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s %s: %w", p, pattern, err)
		}
		return nil
	}
	for round := 1; round <= count; round++ {
		fmt.Fprintf(os.Stderr, "round %d of %d\n", round, count)
		for _, p := range providers() {
			pattern := "^Benchmark(Create|Get)$"
			if p == "vendorusers" {
				pattern = "^Benchmark(Create|Get|Iterate|Retry|BuildRequest)$"
			}
			if err := bench(p, pattern, benchtime); err != nil {
				return err
			}
		}
	}
	if bulk {
		fmt.Fprintln(os.Stderr, "provisioning")
		if err := bench("vendorusers", "^BenchmarkProvision$", "1x"); err != nil {
			return err
		}
	}
	if out != "" {
		if err := os.WriteFile(out, raw.Bytes(), 0o644); err != nil {
			return err
		}
	}
	results, err := parse(&raw)
	if err != nil {
		return err
	}
	report(os.Stdout, results, count, benchtime)
	return nil
}

func moduleRoot() (string, error) {
	b, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(b))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the module: run it from the repository")
	}
	return filepath.Dir(mod), nil
}

// results maps "pkg/BenchmarkName/sub" (GOMAXPROCS suffix dropped) to the
// values of each unit, one per run.
type results map[string]map[string][]float64

// parse reads benchmark output in the standard format.
func parse(r io.Reader) (results, error) {
	res := results{}
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p[strings.LastIndexByte(p, '/')+1:]
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		key := pkg + "/" + name
		if res[key] == nil {
			res[key] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", line, err)
			}
			res[key][f[i+1]] = append(res[key][f[i+1]], v)
		}
	}
	return res, sc.Err()
}

// get returns the median of unit in the runs of key, and whether there was
// any.
func (r results) get(key, unit string) (float64, bool) {
	vs := slices.Clone(r[key][unit])
	if len(vs) == 0 {
		return 0, false
	}
	slices.Sort(vs)
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2, true
	}
	return vs[len(vs)/2], true
}

func (r results) must(key, unit string) float64 {
	v, _ := r.get(key, unit)
	return v
}

func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// table writes a Markdown table, aligned for reading in a terminal too.
func table(w io.Writer, header []string, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	line := func(cells []string) {
		for _, c := range cells {
			fmt.Fprintf(tw, "| %s\t", c)
		}
		fmt.Fprintln(tw, "|")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	tw.Flush()
}

func report(w io.Writer, r results, count int, benchtime string) {
	fmt.Fprintf(w, "Machine: %d CPUs (%s), %s, %s/%s. Medians of %d rounds, -benchtime=%s.\n",
		runtime.NumCPU(), cpuModel(), goVersion(), runtime.GOOS, runtime.GOARCH, count, benchtime)
	fmt.Fprintf(w, "Command: `go run ./scripts/bench -count %d -benchtime %s`.\n\n", count, benchtime)

	// Single calls.
	fmt.Fprintln(w, "### One call per API: SDK / hand-written baseline")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ratios to the baseline of the same API and call, measured against the same loopback server in the same run.")
	fmt.Fprintln(w, "\"ns × alone\" divides the variants' own ns/op; \"ns × paired\" comes from the `paired` benchmark, which")
	fmt.Fprintln(w, "alternates the variants call by call (the steadier figure, used for the targets). \"client-only\" subtracts")
	fmt.Fprintln(w, "from both sides what the server alone costs per request (the `server` probe).")
	fmt.Fprintln(w)
	var rows [][]string
	worst := map[string]float64{}
	for _, p := range providers() {
		for _, op := range []string{"Create", "Get"} {
			base := p + "/Benchmark" + op + "/"
			bns, ok := r.get(base+"baseline", "ns/op")
			if !ok {
				continue
			}
			bb, ba := r.must(base+"baseline", "B/op"), r.must(base+"baseline", "allocs/op")
			sb, sa := r.must(base+"server", "B/op"), r.must(base+"server", "allocs/op")
			for _, v := range variants() {
				ns, ok := r.get(base+v, "ns/op")
				if !ok {
					continue
				}
				b, a := r.must(base+v, "B/op"), r.must(base+v, "allocs/op")
				row := []string{p, strings.ToLower(op), v, num(ns), num(b), num(a)}
				switch v {
				case "baseline", "server":
					row = append(row, "", "", "", "", "", "")
				default:
					paired, ok := r.get(base+"paired", v+"/baseline")
					if !ok {
						paired = ns / bns
					}
					row = append(row, ratio(ns, bns), strconv.FormatFloat(paired, 'f', 2, 64),
						ratio(b, bb), ratio(a, ba), ratio(b-sb, bb-sb), ratio(a-sa, ba-sa))
					for unit, x := range map[string]float64{"ns": paired, "allocs": a / ba, "client-allocs": (a - sa) / (ba - sa)} {
						worst[v+" "+unit] = max(worst[v+" "+unit], x)
					}
				}
				rows = append(rows, row)
			}
		}
	}
	table(w, []string{"API", "call", "variant", "ns/op", "B/op", "allocs/op", "ns × alone", "ns × paired", "B ×", "allocs ×", "client-only B ×", "client-only allocs ×"}, rows)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Targets, worst API:")
	fmt.Fprintln(w)
	table(w, []string{"target", "worst", "verdict"}, [][]string{
		{"generated client ns/op ≤ 1.05 × baseline (paired)", num(worst["wire ns"]), verdict(worst["wire ns"] <= 1.05)},
		{"facade ns/op ≤ 1.10 × baseline (paired)", num(worst["facade ns"]), verdict(worst["facade ns"] <= 1.10)},
		{"facade allocs/op ≤ 1.5 × baseline (with the server's)", num(worst["facade allocs"]), verdict(worst["facade allocs"] <= 1.5)},
		{"facade allocs/op ≤ 1.5 × baseline (client only)", num(worst["facade client-allocs"]), verdict(worst["facade client-allocs"] <= 1.5)},
	})
	fmt.Fprintln(w)

	// Iteration.
	fmt.Fprintln(w, "### Iterating vendorusers users in pages of 100")
	fmt.Fprintln(w)
	rows = nil
	for _, n := range []string{"10000", "100000"} {
		base := "vendorusers/BenchmarkIterate/users=" + n + "/"
		bper := r.must(base+"baseline", "ns/user")
		for _, v := range []string{"baseline", "transfer", "client", "facade"} {
			per, ok := r.get(base+v, "ns/user")
			if !ok {
				continue
			}
			row := []string{n, v, num(per), "", "", num(r.must(base+v, "peak-heap-B") / 1024), num(r.must(base+v, "peak-live-B") / 1024),
				num(r.must(base+v, "B/op") / mustAtof(n)), num(r.must(base+v, "allocs/op") / mustAtof(n))}
			if v == "client" || v == "facade" {
				row[3] = ratio(per, bper)
				if x, ok := r.get(base+"paired", v+"/baseline"); ok {
					row[4] = strconv.FormatFloat(x, 'f', 2, 64)
				}
			}
			rows = append(rows, row)
		}
	}
	table(w, []string{"users", "variant", "ns/user", "× alone", "× paired", "peak heap KiB", "peak live KiB", "B/user", "allocs/user"}, rows)
	fmt.Fprintln(w)
	rows = nil
	for _, v := range []string{"baseline", "client", "facade"} {
		small, large := "vendorusers/BenchmarkIterate/users=10000/"+v, "vendorusers/BenchmarkIterate/users=100000/"+v
		hs, hl := r.must(small, "peak-heap-B"), r.must(large, "peak-heap-B")
		ls, ll := r.must(small, "peak-live-B"), r.must(large, "peak-live-B")
		if hs == 0 {
			continue
		}
		row := []string{v, ratio(hl, hs), ratio(ll, ls), verdict(hl <= 1.2*hs && ll <= 1.2*ls)}
		if v != "baseline" {
			t, ok := r.get("vendorusers/BenchmarkIterate/users=100000/paired", v+"/baseline")
			if !ok {
				t = r.must(large, "ns/user") / r.must("vendorusers/BenchmarkIterate/users=100000/baseline", "ns/user")
			}
			row = append(row, num(t), verdict(t <= 1.1))
		} else {
			row = append(row, "", "")
		}
		rows = append(rows, row)
	}
	table(w, []string{"variant", "peak heap 100k / 10k", "peak live 100k / 10k", "heap ≤ 1.2×", "ns/user × baseline (100k, paired)", "≤ 1.1×"}, rows)
	fmt.Fprintln(w)

	// Provisioning.
	if _, ok := r.get("vendorusers/BenchmarkProvision/concurrency=32/facade", "users/s"); ok {
		fmt.Fprintln(w, "### Provisioning 2,000 users, 20 ms per request (one run, -benchtime=1x)")
		fmt.Fprintln(w)
		rows = nil
		for _, v := range []string{"baseline", "facade"} {
			k := "vendorusers/BenchmarkProvision/concurrency=32/" + v
			if rate, ok := r.get(k, "users/s"); ok {
				frac := r.must(k, "of-bound")
				held := r.must(k, "held-ms")
				rows = append(rows, []string{"concurrency 32, no limit", v, num(rate),
					fmt.Sprintf("%.1f %% of 1,600; %.1f %% of 32 / %.2f ms", 100*frac, 100*rate/(32/held*1000), held),
					num(r.must(k, "conns")), "", verdict(v == "baseline" || frac >= 0.9)})
			}
		}
		k := "vendorusers/BenchmarkProvision/rate=200/facade"
		if rate, ok := r.get(k, "starts/s"); ok {
			win := r.must(k, "max-starts-in-1s")
			rows = append(rows, []string{"concurrency 32, 200/s", "facade", num(r.must(k, "users/s")),
				fmt.Sprintf("%.1f starts/s (%.1f %% of 200)", rate, rate/2), num(r.must(k, "conns")), num(win),
				verdict(rate >= 190 && rate <= 200 && win <= 200)})
		}
		table(w, []string{"run", "variant", "users/s", "rate", "connections", "max starts in any 1 s", "verdict"}, rows)
		fmt.Fprintln(w)
	}

	// Retry.
	if _, ok := r.get("vendorusers/BenchmarkRetry/once", "allocs/op"); ok {
		fmt.Fprintln(w, "### Retry path (vendorusers getUsers page, one 503 then 200, no backoff delay)")
		fmt.Fprintln(w)
		rows = nil
		get := func(v, u string) float64 { return r.must("vendorusers/BenchmarkRetry/"+v, u) }
		for _, v := range []string{"once", "retry", "roundtrip-503"} {
			rows = append(rows, []string{v, num(get(v, "ns/op")), num(get(v, "B/op")), num(get(v, "allocs/op"))})
		}
		xb, xa := get("retry", "B/op")-get("once", "B/op"), get("retry", "allocs/op")-get("once", "allocs/op")
		rows = append(rows, []string{"retry − once", num(get("retry", "ns/op") - get("once", "ns/op")), num(xb), num(xa)})
		rows = append(rows, []string{"retry − once − roundtrip-503", "", num(xb - get("roundtrip-503", "B/op")), num(xa - get("roundtrip-503", "allocs/op"))})
		table(w, []string{"call", "ns/op", "B/op", "allocs/op"}, rows)
		fmt.Fprintln(w)
	}

	// What the generated request builder costs.
	if _, ok := r.get("vendorusers/BenchmarkBuildRequest/wire", "allocs/op"); ok {
		fmt.Fprintln(w, "### Building the getUsers request (no network): by hand and with the generated builder")
		fmt.Fprintln(w)
		rows = nil
		for _, v := range []string{"baseline", "wire"} {
			k := "vendorusers/BenchmarkBuildRequest/" + v
			rows = append(rows, []string{v, num(r.must(k, "ns/op")), num(r.must(k, "B/op")), num(r.must(k, "allocs/op"))})
		}
		table(w, []string{"builder", "ns/op", "B/op", "allocs/op"}, rows)
		fmt.Fprintln(w)
	}
}

func mustAtof(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func goVersion() string {
	b, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(b))
}
