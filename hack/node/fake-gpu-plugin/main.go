// Command fake-gpu-plugin is a TEST-ONLY kubelet device plugin that advertises
// fake nvidia.com/gpu devices. It speaks kubelet's own device-plugin API
// (k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1), so the scheduler and kubelet
// account for the devices exactly as they would on a real GPU node: pods that
// request nvidia.com/gpu are scheduled, admitted, and the node runs out of
// them. No GPU, driver or device node is touched.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	pluginapi "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

// socketName is the plugin's socket file inside the device-plugins dir; it is
// also the Endpoint sent to kubelet, which resolves it relative to that dir.
const socketName = "ebb-fake-gpu.sock"

// kubeletSocketName is where kubelet serves its Registration service.
const kubeletSocketName = "kubelet.sock"

type config struct {
	resource  string        // extended resource name, e.g. nvidia.com/gpu
	count     int           // number of fake devices to advertise
	pluginDir string        // kubelet's device-plugins dir (holds kubelet.sock)
	poll      time.Duration // how often to check for a kubelet restart
}

func main() {
	log.SetOutput(os.Stderr)
	log.SetPrefix("fake-gpu-plugin: ")
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)

	cfg := config{poll: time.Second}
	flag.StringVar(&cfg.resource, "resource", "nvidia.com/gpu", "extended resource name to advertise")
	flag.IntVar(&cfg.count, "count", 2, "number of fake devices to advertise")
	flag.StringVar(&cfg.pluginDir, "plugin-dir", pluginapi.DevicePluginPath,
		"kubelet's device-plugins dir (contains kubelet.sock; follows kubelet's --root-dir)")
	flag.Parse()
	if cfg.count < 0 {
		log.Fatalf("--count must be >= 0, got %d", cfg.count)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		log.Fatal(err)
	}
}

// run serves the plugin and keeps it registered until ctx is cancelled.
//
// kubelet wipes every socket in the device-plugins dir when it (re)starts and
// then recreates kubelet.sock, forgetting all plugins. So every poll tick we
// check whether our socket vanished (re-listen) or kubelet.sock is a new file
// (re-register), and retry registration until it succeeds.
func run(ctx context.Context, cfg config) error {
	p := &plugin{cfg: cfg}
	sockPath := filepath.Join(cfg.pluginDir, socketName)
	kubeletSock := filepath.Join(cfg.pluginDir, kubeletSocketName)

	var (
		srv        *grpc.Server
		registered os.FileInfo // kubelet.sock we last registered with; nil = not registered
		waiting    bool        // "waiting for kubelet" already logged
	)
	stopServer := func() {
		if srv != nil {
			srv.Stop() // also ends open ListAndWatch streams
			srv = nil
		}
	}
	defer func() {
		stopServer()
		if err := os.Remove(sockPath); err == nil || errors.Is(err, os.ErrNotExist) {
			log.Printf("stopped, removed %s", sockPath)
		} else {
			log.Printf("stopped, could not remove %s: %v", sockPath, err)
		}
	}()

	tick := time.NewTicker(cfg.poll)
	defer tick.Stop()
	for {
		// kubelet creates the plugin directory when it starts: on a fresh node the plugin can start
		// first, and then waits for it rather than failing to listen.
		if _, dirErr := os.Stat(cfg.pluginDir); dirErr != nil {
			if !waiting {
				log.Printf("no %s yet, waiting for kubelet", cfg.pluginDir)
				waiting = true
			}
		} else {
			// (Re)create our socket if it is missing (first start, or kubelet wiped it).
			if _, statErr := os.Stat(sockPath); srv == nil || statErr != nil {
				if srv != nil {
					log.Printf("socket %s disappeared (kubelet restart?), re-creating", sockPath)
				}
				stopServer()
				var err error
				if srv, err = p.serve(sockPath); err != nil {
					return err
				}
				registered = nil // kubelet forgot us along with our socket
			}

			// Register when not yet registered or kubelet.sock was recreated.
			if fi, err := os.Stat(kubeletSock); err != nil {
				if !waiting {
					log.Printf("no %s yet, waiting for kubelet", kubeletSock)
					waiting = true
				}
				registered = nil
			} else if registered == nil || !os.SameFile(registered, fi) || !registered.ModTime().Equal(fi.ModTime()) {
				if registered != nil {
					log.Printf("%s was recreated (kubelet restart), re-registering", kubeletSock)
				}
				if err := register(ctx, kubeletSock, cfg.resource); err != nil {
					if ctx.Err() != nil {
						return nil // shutting down, not a registration problem
					}
					log.Printf("register with %s failed (will retry): %v", kubeletSock, err)
					registered = nil
				} else {
					log.Printf("registered %s (%d devices) with kubelet, endpoint %s", cfg.resource, cfg.count, socketName)
					registered, waiting = fi, false
				}
			}
		}

		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// serve listens on sockPath (removing a stale file first) and serves the
// DevicePlugin service in the background.
func (p *plugin) serve(sockPath string) (*grpc.Server, error) {
	if err := os.Remove(sockPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("remove stale socket: %w", err)
	}
	lis, err := net.Listen("unix", sockPath)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", sockPath, err)
	}
	srv := grpc.NewServer()
	pluginapi.RegisterDevicePluginServer(srv, p)
	go func() {
		if err := srv.Serve(lis); err != nil {
			log.Printf("serve %s: %v", sockPath, err)
		}
	}()
	log.Printf("serving DevicePlugin on %s", sockPath)
	return srv, nil
}

// register tells kubelet about us; kubelet then dials our Endpoint (relative to
// its device-plugins dir) and calls GetDevicePluginOptions and ListAndWatch.
func register(ctx context.Context, kubeletSock, resource string) error {
	conn, err := grpc.NewClient("unix://"+kubeletSock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = pluginapi.NewRegistrationClient(conn).Register(ctx, &pluginapi.RegisterRequest{
		Version:      pluginapi.Version,
		Endpoint:     socketName,
		ResourceName: resource,
		Options:      &pluginapi.DevicePluginOptions{},
	})
	return err
}

// plugin implements the DevicePlugin service with cfg.count always-healthy devices.
type plugin struct {
	pluginapi.UnimplementedDevicePluginServer
	cfg config
}

func (p *plugin) deviceIDs() []string {
	ids := make([]string, p.cfg.count)
	for i := range ids {
		ids[i] = fmt.Sprintf("fake-gpu-%d", i)
	}
	return ids
}

// GetDevicePluginOptions: no PreStartContainer, no preferred allocation.
func (p *plugin) GetDevicePluginOptions(context.Context, *pluginapi.Empty) (*pluginapi.DevicePluginOptions, error) {
	return &pluginapi.DevicePluginOptions{}, nil
}

// ListAndWatch sends the device list once and keeps the stream open: kubelet
// treats a closed stream as the plugin going away and marks devices unhealthy.
func (p *plugin) ListAndWatch(_ *pluginapi.Empty, stream grpc.ServerStreamingServer[pluginapi.ListAndWatchResponse]) error {
	resp := &pluginapi.ListAndWatchResponse{}
	for _, id := range p.deviceIDs() {
		resp.Devices = append(resp.Devices, &pluginapi.Device{ID: id, Health: pluginapi.Healthy})
	}
	if err := stream.Send(resp); err != nil {
		return err
	}
	log.Printf("ListAndWatch: sent %d healthy devices", len(resp.Devices))
	<-stream.Context().Done() // ends when kubelet disconnects or the server stops
	return nil
}

// Allocate hands each container NVIDIA_VISIBLE_DEVICES like the NVIDIA plugin,
// but no device nodes or mounts: there is nothing real to expose.
func (p *plugin) Allocate(_ context.Context, req *pluginapi.AllocateRequest) (*pluginapi.AllocateResponse, error) {
	known := map[string]bool{}
	for _, id := range p.deviceIDs() {
		known[id] = true
	}
	resp := &pluginapi.AllocateResponse{}
	for _, c := range req.ContainerRequests {
		for _, id := range c.DevicesIds {
			if !known[id] {
				return nil, status.Errorf(codes.InvalidArgument, "unknown device %q", id)
			}
		}
		ids := strings.Join(c.DevicesIds, ",")
		resp.ContainerResponses = append(resp.ContainerResponses, &pluginapi.ContainerAllocateResponse{
			Envs: map[string]string{"NVIDIA_VISIBLE_DEVICES": ids},
		})
		log.Printf("Allocate: %s", ids)
	}
	return resp, nil
}

// GetPreferredAllocation is not advertised in the options; if called anyway it
// picks the required devices first, then the first available ones.
func (p *plugin) GetPreferredAllocation(_ context.Context, req *pluginapi.PreferredAllocationRequest) (*pluginapi.PreferredAllocationResponse, error) {
	resp := &pluginapi.PreferredAllocationResponse{}
	for _, c := range req.ContainerRequests {
		ids := append([]string{}, c.MustIncludeDeviceIDs...)
		for _, id := range c.AvailableDeviceIDs {
			if len(ids) >= int(c.AllocationSize) {
				break
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		resp.ContainerResponses = append(resp.ContainerResponses, &pluginapi.ContainerPreferredAllocationResponse{DeviceIDs: ids})
	}
	return resp, nil
}

// PreStartContainer is not required (see options); nothing to prepare.
func (p *plugin) PreStartContainer(context.Context, *pluginapi.PreStartContainerRequest) (*pluginapi.PreStartContainerResponse, error) {
	return &pluginapi.PreStartContainerResponse{}, nil
}
