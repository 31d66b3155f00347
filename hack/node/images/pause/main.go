// The pod sandbox's pause process for the local node (hack/local-cluster.sh): containerd's
// sandbox_image must name an image it already has, and no registry (registry.k8s.io/pause) is
// reachable here. Like Kubernetes' own pause, it sleeps until SIGTERM or SIGINT and reaps the
// zombies of the pod's shared PID namespace.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			if pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
