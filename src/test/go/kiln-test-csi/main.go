// Command kiln-test-csi is a CSI controller plugin for Kiln's upstream test tier. It keeps volumes as
// directories and snapshots as copies of them, so that a test can write bytes into a disk and find
// the same bytes in every volume restored from its snapshot. It serves only the identity and
// controller services: the tier has no kubelet that would mount anything.
//
// Faults are switched on by files a test writes into the state directory:
//
//	faults/CreateSnapshot/<namespace>   CreateSnapshot for a VolumeSnapshot in <namespace> fails
//	                                    with the file's content as the message.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc"
)

func main() {
	endpoint := flag.String("endpoint", "", "unix socket to serve on")
	stateDir := flag.String("state-dir", "", "directory that holds the volumes and snapshots")
	name := flag.String("driver-name", "csi.kiln.test", "the driver's name")
	flag.Parse()
	if *endpoint == "" || *stateDir == "" {
		log.Fatal("--endpoint and --state-dir are required")
	}
	store, err := openStore(*stateDir)
	if err != nil {
		log.Fatalf("state directory: %v", err)
	}
	socket := strings.TrimPrefix(*endpoint, "unix://")
	if err := os.MkdirAll(filepath.Dir(socket), 0o755); err != nil {
		log.Fatalf("socket directory: %v", err)
	}
	_ = os.Remove(socket)
	listener, err := net.Listen("unix", socket)
	if err != nil {
		log.Fatalf("listen on %s: %v", socket, err)
	}
	server := grpc.NewServer(grpc.UnaryInterceptor(logCalls))
	csi.RegisterIdentityServer(server, &identity{name: *name})
	csi.RegisterControllerServer(server, &controller{store: store})
	log.Printf("driver %s serving on %s, state in %s", *name, socket, *stateDir)
	if err := server.Serve(listener); err != nil {
		log.Fatal(err)
	}
}

func logCalls(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	resp, err := handler(ctx, req)
	if err != nil {
		log.Printf("%s %v -> error: %v", info.FullMethod, req, err)
	} else {
		log.Printf("%s %v -> %v", info.FullMethod, req, resp)
	}
	return resp, err
}

type identity struct {
	csi.UnimplementedIdentityServer
	name string
}

func (i *identity) GetPluginInfo(context.Context, *csi.GetPluginInfoRequest) (*csi.GetPluginInfoResponse, error) {
	return &csi.GetPluginInfoResponse{Name: i.name, VendorVersion: "1.0.0"}, nil
}

func (i *identity) GetPluginCapabilities(context.Context, *csi.GetPluginCapabilitiesRequest) (*csi.GetPluginCapabilitiesResponse, error) {
	return &csi.GetPluginCapabilitiesResponse{Capabilities: []*csi.PluginCapability{{
		Type: &csi.PluginCapability_Service_{Service: &csi.PluginCapability_Service{
			Type: csi.PluginCapability_Service_CONTROLLER_SERVICE,
		}},
	}}}, nil
}

func (i *identity) Probe(context.Context, *csi.ProbeRequest) (*csi.ProbeResponse, error) {
	return &csi.ProbeResponse{}, nil
}
