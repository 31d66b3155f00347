package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	pluginapi "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

// fakeKubelet is kubelet's Registration service and nothing else: it records
// every RegisterRequest so the test can see (re-)registrations.
type fakeKubelet struct {
	pluginapi.UnimplementedRegistrationServer
	requests chan *pluginapi.RegisterRequest
}

func (k *fakeKubelet) Register(_ context.Context, r *pluginapi.RegisterRequest) (*pluginapi.Empty, error) {
	k.requests <- r
	return &pluginapi.Empty{}, nil
}

func (k *fakeKubelet) next(t *testing.T) *pluginapi.RegisterRequest {
	t.Helper()
	select {
	case r := <-k.requests:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no RegisterRequest within 10s")
		return nil
	}
}

func dial(t *testing.T, path string) pluginapi.DevicePluginClient {
	t.Helper()
	conn, err := grpc.NewClient("unix://"+path, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return pluginapi.NewDevicePluginClient(conn)
}

func TestRegisterServeAndReRegister(t *testing.T) {
	dir := t.TempDir()
	lis, err := net.Listen("unix", filepath.Join(dir, kubeletSocketName))
	if err != nil {
		t.Fatal(err)
	}
	kubelet := &fakeKubelet{requests: make(chan *pluginapi.RegisterRequest, 10)}
	ksrv := grpc.NewServer()
	pluginapi.RegisterRegistrationServer(ksrv, kubelet)
	go ksrv.Serve(lis)
	defer func() { ksrv.Stop() }()

	const count = 3
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, config{resource: "nvidia.com/gpu", count: count, pluginDir: dir, poll: 50 * time.Millisecond})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, socketName)); !os.IsNotExist(err) {
			t.Errorf("plugin socket not removed on shutdown: %v", err)
		}
	}()

	// Registration carries what kubelet needs to find and use us.
	r := kubelet.next(t)
	if r.Version != pluginapi.Version || r.ResourceName != "nvidia.com/gpu" || r.Endpoint != socketName {
		t.Fatalf("RegisterRequest = %+v", r)
	}

	// Act as kubelet does after Register: dial the endpoint inside the dir.
	plugin := dial(t, filepath.Join(dir, r.Endpoint))
	rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
	defer rcancel()
	if _, err := plugin.GetDevicePluginOptions(rctx, &pluginapi.Empty{}); err != nil {
		t.Fatal(err)
	}
	stream, err := plugin.ListAndWatch(rctx, &pluginapi.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	law, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if len(law.Devices) != count {
		t.Fatalf("ListAndWatch sent %d devices, want %d", len(law.Devices), count)
	}
	for i, d := range law.Devices {
		if d.Health != pluginapi.Healthy || d.ID != fmt.Sprintf("fake-gpu-%d", i) {
			t.Errorf("device %d = %s/%s", i, d.ID, d.Health)
		}
	}

	alloc, err := plugin.Allocate(rctx, &pluginapi.AllocateRequest{ContainerRequests: []*pluginapi.ContainerAllocateRequest{
		{DevicesIds: []string{"fake-gpu-0", "fake-gpu-2"}},
		{DevicesIds: []string{"fake-gpu-1"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"fake-gpu-0,fake-gpu-2", "fake-gpu-1"}
	if len(alloc.ContainerResponses) != len(want) {
		t.Fatalf("Allocate returned %d container responses", len(alloc.ContainerResponses))
	}
	for i, c := range alloc.ContainerResponses {
		if got := c.Envs["NVIDIA_VISIBLE_DEVICES"]; got != want[i] {
			t.Errorf("container %d NVIDIA_VISIBLE_DEVICES = %q, want %q", i, got, want[i])
		}
	}

	// A restarting kubelet deletes every socket in the dir; the plugin must
	// notice, serve again and register a second time.
	if err := os.Remove(filepath.Join(dir, socketName)); err != nil {
		t.Fatal(err)
	}
	if r := kubelet.next(t); r.Endpoint != socketName {
		t.Fatalf("second RegisterRequest = %+v", r)
	}
	if _, err := stream.Recv(); err == nil {
		t.Error("old ListAndWatch stream still open after re-serve")
	}
	if _, err := dial(t, filepath.Join(dir, socketName)).GetDevicePluginOptions(rctx, &pluginapi.Empty{}); err != nil {
		t.Fatalf("new socket not served: %v", err)
	}

	// kubelet.sock recreated under the plugin's live socket (a new kubelet
	// instance) must also lead to a registration with the new kubelet.
	ksrv.Stop() // closing the listener unlinks kubelet.sock
	if lis, err = net.Listen("unix", filepath.Join(dir, kubeletSocketName)); err != nil {
		t.Fatal(err)
	}
	ksrv = grpc.NewServer()
	pluginapi.RegisterRegistrationServer(ksrv, kubelet)
	go ksrv.Serve(lis)
	if r := kubelet.next(t); r.ResourceName != "nvidia.com/gpu" {
		t.Fatalf("third RegisterRequest = %+v", r)
	}
}

// On a fresh node the plugin can start before kubelet has created the
// device-plugins directory: it waits for it instead of failing to listen.
func TestWaitsForKubeletToCreateThePluginDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "device-plugins")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, config{resource: "nvidia.com/gpu", count: 2, pluginDir: dir, poll: 20 * time.Millisecond})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("run ended before kubelet created %s: %v", dir, err)
	default:
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("unix", filepath.Join(dir, kubeletSocketName))
	if err != nil {
		t.Fatal(err)
	}
	kubelet := &fakeKubelet{requests: make(chan *pluginapi.RegisterRequest, 10)}
	ksrv := grpc.NewServer()
	pluginapi.RegisterRegistrationServer(ksrv, kubelet)
	go ksrv.Serve(lis)
	defer ksrv.Stop()

	if r := kubelet.next(t); r.ResourceName != "nvidia.com/gpu" || r.Endpoint != socketName {
		t.Fatalf("RegisterRequest = %+v", r)
	}
}
