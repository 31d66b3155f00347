// A test model server that honours SageMaker's real inference container contract, for the local
// node's end-to-end test (hack/local-cluster.sh builds it into the image ebb.dev/test/model-server):
//
//   - SageMaker starts the container as `docker run IMAGE serve`: without the `serve` argument
//     this server exits at once (status 64), as images built for SageMaker do not serve then;
//   - it listens on SAGEMAKER_BIND_TO_PORT (default 8080), GET /ping and POST /invocations;
//   - it loads its "model" from /opt/ml/model (SM_MODEL_DIR overrides): every file there is read
//     at start, and /ping answers 200 only once that is done (after LOAD_SECONDS more, to stand in
//     for a slow model load). Without model files it refuses to start unless ALLOW_EMPTY_MODEL=1.
//
// POST /invocations answers JSON naming the model (the content of model.txt, the files loaded)
// and echoing the request. The header X-Amzn-SageMaker-Custom-Attributes "sleep=MS" keeps the
// request in flight MS milliseconds. With ECHO=1 it answers the request body itself, with the
// request's Content-Type, as the SageMaker simulator's containers do: a batch transform's output is
// then the same on the real node and on the simulator, byte for byte. INVOCATION_DELAY_MS holds
// every request that long (a batch transform that is still running when a test deletes it).
// Source of the contract:
// https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds | log.LUTC)
	if len(os.Args) < 2 || os.Args[1] != "serve" {
		log.Printf("refusing to start: SageMaker runs inference containers as 'IMAGE serve', got %q", os.Args[1:])
		os.Exit(64)
	}
	port := env("SAGEMAKER_BIND_TO_PORT", "8080")
	modelDir := env("SM_MODEL_DIR", "/opt/ml/model")
	files, identity, err := loadModel(modelDir)
	if err != nil {
		log.Fatalf("cannot load the model from %s: %v", modelDir, err)
	}
	if len(files) == 0 && os.Getenv("ALLOW_EMPTY_MODEL") != "1" {
		log.Fatalf("no model files in %s", modelDir)
	}
	loadFor, _ := strconv.ParseFloat(env("LOAD_SECONDS", "0"), 64)
	loadedAt := time.Now().Add(time.Duration(loadFor * float64(time.Second)))
	var invocations atomic.Int64
	var pinged atomic.Bool
	echo := os.Getenv("ECHO") == "1"
	delayMs, _ := strconv.Atoi(env("INVOCATION_DELAY_MS", "0"))

	http.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		if time.Now().Before(loadedAt) {
			http.Error(w, "loading", http.StatusServiceUnavailable)
			return
		}
		// bench/coldstart.sh reads these two lines: when the server first said it was ready, and
		// when the first request reached it.
		if pinged.CompareAndSwap(false, true) {
			log.Printf("first ping answered 200")
		}
		io.WriteString(w, "ok")
	})
	http.HandleFunc("/invocations", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, _ := io.ReadAll(r.Body)
		attributes := r.Header.Get("X-Amzn-SageMaker-Custom-Attributes")
		if ms, ok := strings.CutPrefix(attributes, "sleep="); ok {
			if n, err := strconv.Atoi(ms); err == nil {
				time.Sleep(time.Duration(n) * time.Millisecond)
			}
		}
		if delayMs > 0 {
			time.Sleep(time.Duration(delayMs) * time.Millisecond)
		}
		n := invocations.Add(1)
		if n == 1 {
			log.Printf("first invocation")
		}
		if echo {
			if t := r.Header.Get("Content-Type"); t != "" {
				w.Header().Set("Content-Type", t)
			}
			w.Write(body)
			return
		}
		host, _ := os.Hostname()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"model":      identity,
			"files":      files,
			"input":      string(body),
			"pod":        host,
			"invocation": n,
		})
	})
	log.Printf("serving on :%s, model %q (%d files) from %s, ready after %.1fs", port, identity, len(files), modelDir, loadFor)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}

// loadModel reads every file under dir; model.txt (if present) names the model.
func loadModel(dir string) ([]string, string, error) {
	var files []string
	identity := ""
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, fmt.Sprintf("%s:%d", rel, len(data)))
		if rel == "model.txt" {
			identity = strings.TrimSpace(string(data))
		}
		return nil
	})
	sort.Strings(files)
	return files, identity, err
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
