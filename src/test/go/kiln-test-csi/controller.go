package main

import (
	"context"
	"errors"
	"os"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The namespace of the VolumeSnapshot, passed by csi-snapshotter with --extra-create-metadata.
const snapshotNamespaceParameter = "csi.storage.k8s.io/volumesnapshot/namespace"

type controller struct {
	csi.UnimplementedControllerServer
	store *store
}

func (c *controller) ControllerGetCapabilities(context.Context, *csi.ControllerGetCapabilitiesRequest) (*csi.ControllerGetCapabilitiesResponse, error) {
	var capabilities []*csi.ControllerServiceCapability
	for _, kind := range []csi.ControllerServiceCapability_RPC_Type{
		csi.ControllerServiceCapability_RPC_CREATE_DELETE_VOLUME,
		csi.ControllerServiceCapability_RPC_CREATE_DELETE_SNAPSHOT,
		csi.ControllerServiceCapability_RPC_LIST_SNAPSHOTS,
		csi.ControllerServiceCapability_RPC_CLONE_VOLUME,
	} {
		capabilities = append(capabilities, &csi.ControllerServiceCapability{
			Type: &csi.ControllerServiceCapability_Rpc{Rpc: &csi.ControllerServiceCapability_RPC{Type: kind}},
		})
	}
	return &csi.ControllerGetCapabilitiesResponse{Capabilities: capabilities}, nil
}

func (c *controller) CreateVolume(_ context.Context, req *csi.CreateVolumeRequest) (*csi.CreateVolumeResponse, error) {
	if req.GetName() == "" {
		return nil, status.Error(codes.InvalidArgument, "a volume name is required")
	}
	var source *csi.VolumeContentSource
	var err error
	var vol volume
	switch {
	case req.GetVolumeContentSource().GetSnapshot() != nil:
		source = req.GetVolumeContentSource()
		vol, err = c.store.createVolume(req.GetName(), req.GetCapacityRange().GetRequiredBytes(),
			"snapshot", source.GetSnapshot().GetSnapshotId())
	case req.GetVolumeContentSource().GetVolume() != nil:
		source = req.GetVolumeContentSource()
		vol, err = c.store.createVolume(req.GetName(), req.GetCapacityRange().GetRequiredBytes(),
			"volume", source.GetVolume().GetVolumeId())
	default:
		vol, err = c.store.createVolume(req.GetName(), req.GetCapacityRange().GetRequiredBytes(), "", "")
	}
	if err != nil {
		return nil, toStatus(err)
	}
	return &csi.CreateVolumeResponse{Volume: &csi.Volume{
		VolumeId:      vol.ID,
		CapacityBytes: vol.CapacityBytes,
		ContentSource: source,
	}}, nil
}

func (c *controller) DeleteVolume(_ context.Context, req *csi.DeleteVolumeRequest) (*csi.DeleteVolumeResponse, error) {
	if req.GetVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "a volume id is required")
	}
	if err := c.store.deleteVolume(req.GetVolumeId()); err != nil {
		return nil, toStatus(err)
	}
	return &csi.DeleteVolumeResponse{}, nil
}

func (c *controller) CreateSnapshot(_ context.Context, req *csi.CreateSnapshotRequest) (*csi.CreateSnapshotResponse, error) {
	if req.GetName() == "" || req.GetSourceVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "a snapshot name and a source volume id are required")
	}
	if message, ok := c.store.fault("CreateSnapshot", req.GetParameters()[snapshotNamespaceParameter]); ok {
		return nil, status.Error(codes.Internal, message)
	}
	snap, err := c.store.createSnapshot(req.GetName(), req.GetSourceVolumeId())
	if err != nil {
		return nil, toStatus(err)
	}
	return &csi.CreateSnapshotResponse{Snapshot: snap.csi()}, nil
}

func (c *controller) DeleteSnapshot(_ context.Context, req *csi.DeleteSnapshotRequest) (*csi.DeleteSnapshotResponse, error) {
	if req.GetSnapshotId() == "" {
		return nil, status.Error(codes.InvalidArgument, "a snapshot id is required")
	}
	if err := c.store.deleteSnapshot(req.GetSnapshotId()); err != nil {
		return nil, toStatus(err)
	}
	return &csi.DeleteSnapshotResponse{}, nil
}

func (c *controller) ListSnapshots(_ context.Context, req *csi.ListSnapshotsRequest) (*csi.ListSnapshotsResponse, error) {
	snaps, err := c.store.listSnapshots()
	if err != nil {
		return nil, toStatus(err)
	}
	var entries []*csi.ListSnapshotsResponse_Entry
	for _, snap := range snaps {
		if req.GetSnapshotId() != "" && snap.ID != req.GetSnapshotId() {
			continue
		}
		if req.GetSourceVolumeId() != "" && snap.SourceVolumeID != req.GetSourceVolumeId() {
			continue
		}
		entries = append(entries, &csi.ListSnapshotsResponse_Entry{Snapshot: snap.csi()})
	}
	return &csi.ListSnapshotsResponse{Entries: entries}, nil
}

func (s snapshot) csi() *csi.Snapshot {
	return &csi.Snapshot{
		SnapshotId:     s.ID,
		SourceVolumeId: s.SourceVolumeID,
		SizeBytes:      s.SizeBytes,
		CreationTime:   timestamppb.New(s.CreatedAt),
		ReadyToUse:     true,
	}
}

func toStatus(err error) error {
	var notFound *notFoundError
	switch {
	case errors.As(err, &notFound):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, errConflict):
		return status.Error(codes.AlreadyExists, err.Error())
	case errors.Is(err, os.ErrNotExist):
		return status.Error(codes.NotFound, err.Error())
	default:
		return status.Error(codes.Internal, err.Error())
	}
}
