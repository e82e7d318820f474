package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func TestPageShowsVersionAndEnvNamesNotValues(t *testing.T) {
	t.Setenv("GREETING", "hello-value")
	c, err := configFromEnv(func(k string) string {
		return map[string]string{"SHOW_ENV": "GREETING"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	environ := func() []string { return []string{"SECRET_TOKEN=s3cr3t", "GREETING=hello-value"} }
	h := newHandler(c, newMetrics(), environ, func() float64 { return 1 })
	code, body := get(t, h, "/")
	if code != 200 || !strings.Contains(body, "SECRET_TOKEN") || strings.Contains(body, "s3cr3t") {
		t.Fatalf("code %d body %s", code, body)
	}
	if !strings.Contains(body, "GREETING=hello-value") || !strings.Contains(body, `id="version">dev<`) {
		t.Fatalf("SHOW_ENV value or version missing: %s", body)
	}
}

func TestKnobsAndMetrics(t *testing.T) {
	c, err := configFromEnv(func(k string) string {
		return map[string]string{"READY": "false", "ERROR_RATIO": "0.5"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	r := []float64{0.1, 0.9}
	i := 0
	h := newHandler(c, newMetrics(), func() []string { return nil }, func() float64 { i++; return r[(i-1)%2] })
	if code, _ := get(t, h, "/ready"); code != 503 {
		t.Fatalf("/ready = %d, want 503", code)
	}
	if code, _ := get(t, h, "/"); code != 500 {
		t.Fatalf("first / = %d, want 500", code)
	}
	if code, _ := get(t, h, "/"); code != 200 {
		t.Fatalf("second / = %d, want 200", code)
	}
	_, m := get(t, h, "/metrics")
	for _, want := range []string{`http_requests_total{code="500"} 1`, `http_requests_total{code="503"} 1`,
		`http_requests_total{code="200"} 1`, `http_request_duration_seconds_bucket{le="+Inf"} 3`,
		`http_request_duration_seconds_count 3`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
	if _, err := configFromEnv(func(k string) string { return map[string]string{"ERROR_RATIO": "2"}[k] }); err == nil {
		t.Error("ERROR_RATIO=2 accepted")
	}
}
