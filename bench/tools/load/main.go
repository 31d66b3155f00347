// Command load drives HTTP POSTs at a URL and prints one JSON line of results.
//
// Two modes:
//   - -rate N: open loop, N requests per second for -duration (latency at a given load; requests
//     are sent on schedule whether or not earlier ones have answered, so a slow server cannot
//     hide its queueing);
//   - -concurrency C without -rate: closed loop, C connections sending back to back for
//     -duration (maximum throughput).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, ",") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

type result struct {
	Sent       int64   `json:"sent"`
	OK         int64   `json:"ok"`
	Failed     int64   `json:"failed"`
	Seconds    float64 `json:"seconds"`
	RPS        float64 `json:"rps"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	FirstError string  `json:"first_error,omitempty"`
}

func main() {
	url := flag.String("url", "", "URL to POST to")
	rate := flag.Int("rate", 0, "requests per second (open loop); 0 for closed loop")
	concurrency := flag.Int("concurrency", 32, "connections (closed loop) or at most in flight (open loop)")
	duration := flag.Duration("duration", 10*time.Second, "how long to send")
	size := flag.Int("body", 256, "request body size in bytes")
	var extra headers
	flag.Var(&extra, "H", "header 'Name: value' (repeatable)")
	flag.Parse()

	body := bytes.Repeat([]byte("x"), *size)
	transport := &http.Transport{MaxIdleConnsPerHost: *concurrency * 2, MaxConnsPerHost: 0, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var sent, ok, failed atomic.Int64
	var firstError atomic.Value
	var mu sync.Mutex
	latencies := make([]time.Duration, 0, 1<<16)

	one := func() {
		req, _ := http.NewRequest(http.MethodPost, *url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/octet-stream")
		for _, h := range extra {
			if k, v, found := strings.Cut(h, ":"); found {
				req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		}
		sent.Add(1)
		start := time.Now()
		resp, err := client.Do(req)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err == nil && resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("HTTP %d", resp.StatusCode)
			}
		}
		elapsed := time.Since(start)
		if err != nil {
			failed.Add(1)
			firstError.CompareAndSwap(nil, err.Error())
			return
		}
		ok.Add(1)
		mu.Lock()
		latencies = append(latencies, elapsed)
		mu.Unlock()
	}

	start := time.Now()
	deadline := start.Add(*duration)
	var wg sync.WaitGroup
	if *rate > 0 {
		interval := time.Second / time.Duration(*rate)
		slots := make(chan struct{}, *concurrency*64)
		for next := start; next.Before(deadline); next = next.Add(interval) {
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
			slots <- struct{}{}
			wg.Add(1)
			go func() { defer wg.Done(); one(); <-slots }()
		}
	} else {
		for i := 0; i < *concurrency; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(deadline) {
					one()
				}
			}()
		}
	}
	wg.Wait()
	seconds := time.Since(start).Seconds()

	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		i := int(p * float64(len(latencies)-1))
		return float64(latencies[i].Microseconds()) / 1000
	}
	r := result{Sent: sent.Load(), OK: ok.Load(), Failed: failed.Load(), Seconds: seconds,
		RPS: float64(ok.Load()) / seconds, P50Ms: pct(0.50), P99Ms: pct(0.99), MaxMs: pct(1.0)}
	if e, isString := firstError.Load().(string); isString {
		r.FirstError = e
	}
	json.NewEncoder(os.Stdout).Encode(r)
}
