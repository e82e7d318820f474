// Command sample-app is the small HTTP server Runway's real-node tests and demo run as pods.
// Its behaviour is set by environment variables (see README in docs/images.md):
//
//	PORT (8080), READY=false, CRASH_AFTER_SECONDS, ERROR_RATIO, LATENCY_MS, WRITE_FILE,
//	ALLOCATE_MB, SHOW_ENV=NAME,NAME
package main

import (
	"fmt"
	"html"
	"log"
	"math/rand"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// version is set at build time: -ldflags "-X main.version=1.1.0".
var version = "dev"

// buckets are the upper bounds (seconds) of the request duration histogram.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type metrics struct {
	mu       sync.Mutex
	requests map[int]uint64
	counts   []uint64 // per bucket, not cumulative; last one is +Inf
	sum      float64
	total    uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[int]uint64{}, counts: make([]uint64, len(buckets)+1)}
}

func (m *metrics) observe(code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[code]++
	s := d.Seconds()
	i := sort.SearchFloat64s(buckets, s) // first bucket with bound >= s
	m.counts[i]++
	m.sum += s
	m.total++
}

// write prints the Prometheus text exposition format.
func (m *metrics) write(w *strings.Builder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w.WriteString("# HELP http_requests_total HTTP requests answered, by status code.\n")
	w.WriteString("# TYPE http_requests_total counter\n")
	codes := make([]int, 0, len(m.requests))
	for c := range m.requests {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "http_requests_total{code=\"%d\"} %d\n", c, m.requests[c])
	}
	w.WriteString("# HELP http_request_duration_seconds HTTP request duration.\n")
	w.WriteString("# TYPE http_request_duration_seconds histogram\n")
	var cum uint64
	for i, b := range buckets {
		cum += m.counts[i]
		fmt.Fprintf(w, "http_request_duration_seconds_bucket{le=\"%s\"} %d\n", strconv.FormatFloat(b, 'g', -1, 64), cum)
	}
	cum += m.counts[len(buckets)]
	fmt.Fprintf(w, "http_request_duration_seconds_bucket{le=\"+Inf\"} %d\n", cum)
	fmt.Fprintf(w, "http_request_duration_seconds_sum %g\n", m.sum)
	fmt.Fprintf(w, "http_request_duration_seconds_count %d\n", m.total)
}

type config struct {
	ready      bool
	errorRatio float64
	latency    time.Duration
	showEnv    []string
}

func configFromEnv(getenv func(string) string) (config, error) {
	c := config{ready: getenv("READY") != "false"}
	if v := getenv("ERROR_RATIO"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 1 {
			return c, fmt.Errorf("ERROR_RATIO=%q: want a number from 0 to 1", v)
		}
		c.errorRatio = f
	}
	if v := getenv("LATENCY_MS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return c, fmt.Errorf("LATENCY_MS=%q: want a whole number of milliseconds", v)
		}
		c.latency = time.Duration(n) * time.Millisecond
	}
	for _, name := range strings.Split(getenv("SHOW_ENV"), ",") {
		if name = strings.TrimSpace(name); name != "" {
			c.showEnv = append(c.showEnv, name)
		}
	}
	return c, nil
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) { r.code = code; r.ResponseWriter.WriteHeader(code) }

func newHandler(c config, m *metrics, environ func() []string, random func() float64) http.Handler {
	hostname, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !c.ready {
			http.Error(w, "not ready (READY=false)", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		m.write(&b)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprint(w, b.String())
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if c.latency > 0 {
			time.Sleep(c.latency)
		}
		if c.errorRatio > 0 && random() < c.errorRatio {
			http.Error(w, "injected error (ERROR_RATIO)", http.StatusInternalServerError)
			return
		}
		names := []string{}
		for _, kv := range environ() {
			names = append(names, strings.SplitN(kv, "=", 2)[0])
		}
		sort.Strings(names)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>runway-sample-app</title>\n")
		fmt.Fprintf(w, "<h1>runway-sample-app</h1>\n<p>version: <b id=\"version\">%s</b></p>\n", html.EscapeString(version))
		fmt.Fprintf(w, "<p>hostname: <b id=\"hostname\">%s</b></p>\n", html.EscapeString(hostname))
		fmt.Fprintf(w, "<h2>environment variables (names only)</h2>\n<ul id=\"env-names\">\n")
		for _, n := range names {
			fmt.Fprintf(w, "<li>%s</li>\n", html.EscapeString(n))
		}
		fmt.Fprintf(w, "</ul>\n<h2>values shown (SHOW_ENV)</h2>\n<ul id=\"env-values\">\n")
		for _, n := range c.showEnv {
			fmt.Fprintf(w, "<li>%s=%s</li>\n", html.EscapeString(n), html.EscapeString(os.Getenv(n)))
		}
		fmt.Fprintf(w, "</ul>\n")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		mux.ServeHTTP(rec, r)
		if r.URL.Path != "/metrics" {
			m.observe(rec.code, time.Since(start))
		}
	})
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	c, err := configFromEnv(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	if path := os.Getenv("WRITE_FILE"); path != "" {
		if err := os.WriteFile(path, []byte("written by runway-sample-app "+version+"\n"), 0o644); err != nil {
			log.Fatalf("WRITE_FILE: %v", err)
		}
		log.Printf("wrote %s", path)
	}
	var ballast [][]byte
	if v := os.Getenv("ALLOCATE_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			log.Fatalf("ALLOCATE_MB=%q: want a whole number", v)
		}
		for i := 0; i < n; i++ {
			b := make([]byte, 1<<20)
			for j := range b { // touch every page so the memory is resident
				b[j] = 1
			}
			ballast = append(ballast, b)
		}
		log.Printf("allocated %d MiB", len(ballast))
	}
	if v := os.Getenv("CRASH_AFTER_SECONDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			log.Fatalf("CRASH_AFTER_SECONDS=%q: want a whole number", v)
		}
		time.AfterFunc(time.Duration(n)*time.Second, func() {
			log.Printf("crashing after %d s (CRASH_AFTER_SECONDS)", n)
			os.Exit(1)
		})
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log.Printf("runway-sample-app %s listening on :%s (ready=%v error_ratio=%g latency=%s)", version, port, c.ready, c.errorRatio, c.latency)
	h := newHandler(c, newMetrics(), os.Environ, rand.Float64)
	srv := &http.Server{Addr: ":" + port, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
	_ = ballast
}
