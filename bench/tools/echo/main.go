// Command echo is the benchmark's model server: SageMaker's container contract at its
// cheapest (GET /ping answers 200, POST /invocations echoes the body), so a benchmark measures
// what sits in front of it.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	firstRequest := flag.String("first-request-file", "", "write the wall-clock time (Unix ns) the first invocation arrived to this file")
	flag.Parse()
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("/invocations", func(w http.ResponseWriter, r *http.Request) {
		if *firstRequest != "" {
			arrived := time.Now().UnixNano()
			once.Do(func() { os.WriteFile(*firstRequest, []byte(strconv.FormatInt(arrived, 10)), 0o644) })
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(body)
	})
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening %d\n", listener.Addr().(*net.TCPAddr).Port)
	log.Fatal(http.Serve(listener, mux))
}
