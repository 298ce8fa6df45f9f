package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Volumes and snapshots are named by the sidecars (pvc-<uid>, snapshot-<uid>), unique and safe as
// file names, so the name is the id and a repeated create finds what the first one made.
type volume struct {
	ID            string `json:"id"`
	CapacityBytes int64  `json:"capacityBytes"`
	SourceKind    string `json:"sourceKind,omitempty"`
	SourceID      string `json:"sourceId,omitempty"`
}

type snapshot struct {
	ID             string    `json:"id"`
	SourceVolumeID string    `json:"sourceVolumeId"`
	SizeBytes      int64     `json:"sizeBytes"`
	CreatedAt      time.Time `json:"createdAt"`
}

type notFoundError struct{ what string }

func (e *notFoundError) Error() string { return e.what + " not found" }

var errConflict = errors.New("exists with different parameters")

const defaultCapacity = 1 << 30

type store struct {
	mu  sync.Mutex
	dir string
}

func openStore(dir string) (*store, error) {
	for _, sub := range []string{"volumes", "snapshots", "faults"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	return &store{dir: dir}, nil
}

func (s *store) createVolume(name string, requiredBytes int64, sourceKind, sourceID string) (volume, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var existing volume
	if err := s.read("volumes", name, &existing); err == nil {
		if existing.SourceKind != sourceKind || existing.SourceID != sourceID || existing.CapacityBytes < requiredBytes {
			return volume{}, fmt.Errorf("volume %s %w", name, errConflict)
		}
		return existing, nil
	}
	capacity := requiredBytes
	if capacity == 0 {
		capacity = defaultCapacity
	}
	content := filepath.Join(s.dir, "volumes", name)
	switch sourceKind {
	case "snapshot":
		var snap snapshot
		if err := s.read("snapshots", sourceID, &snap); err != nil {
			return volume{}, &notFoundError{"snapshot " + sourceID}
		}
		capacity = max(capacity, snap.SizeBytes)
		if err := copyTree(filepath.Join(s.dir, "snapshots", sourceID), content); err != nil {
			return volume{}, err
		}
	case "volume":
		var src volume
		if err := s.read("volumes", sourceID, &src); err != nil {
			return volume{}, &notFoundError{"volume " + sourceID}
		}
		capacity = max(capacity, src.CapacityBytes)
		if err := copyTree(filepath.Join(s.dir, "volumes", sourceID), content); err != nil {
			return volume{}, err
		}
	default:
		if err := os.MkdirAll(content, 0o755); err != nil {
			return volume{}, err
		}
	}
	vol := volume{ID: name, CapacityBytes: capacity, SourceKind: sourceKind, SourceID: sourceID}
	return vol, s.write("volumes", name, vol)
}

func (s *store) deleteVolume(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.remove("volumes", id)
}

func (s *store) createSnapshot(name, sourceVolumeID string) (snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var existing snapshot
	if err := s.read("snapshots", name, &existing); err == nil {
		if existing.SourceVolumeID != sourceVolumeID {
			return snapshot{}, fmt.Errorf("snapshot %s %w", name, errConflict)
		}
		return existing, nil
	}
	var src volume
	if err := s.read("volumes", sourceVolumeID, &src); err != nil {
		return snapshot{}, &notFoundError{"volume " + sourceVolumeID}
	}
	if err := copyTree(filepath.Join(s.dir, "volumes", sourceVolumeID), filepath.Join(s.dir, "snapshots", name)); err != nil {
		return snapshot{}, err
	}
	snap := snapshot{ID: name, SourceVolumeID: sourceVolumeID, SizeBytes: src.CapacityBytes, CreatedAt: time.Now().UTC()}
	return snap, s.write("snapshots", name, snap)
}

func (s *store) deleteSnapshot(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.remove("snapshots", id)
}

func (s *store) listSnapshots() ([]snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	files, err := filepath.Glob(filepath.Join(s.dir, "snapshots", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var snaps []snapshot
	for _, file := range files {
		var snap snapshot
		if err := s.read("snapshots", strings.TrimSuffix(filepath.Base(file), ".json"), &snap); err != nil {
			return nil, err
		}
		snaps = append(snaps, snap)
	}
	return snaps, nil
}

// fault returns the message a test asked this operation to fail with for the given namespace.
func (s *store) fault(operation, namespace string) (string, bool) {
	if namespace == "" {
		return "", false
	}
	message, err := os.ReadFile(filepath.Join(s.dir, "faults", operation, namespace))
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(message)), true
}

func (s *store) read(kind, id string, into any) error {
	data, err := os.ReadFile(filepath.Join(s.dir, kind, id+".json"))
	if err != nil {
		return err
	}
	return json.Unmarshal(data, into)
}

// The record is written last and removed first, so a half-made copy is never taken for a whole one.
func (s *store) write(kind, id string, record any) error {
	data, err := json.Marshal(record)
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.dir, kind, "."+id+".json.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(s.dir, kind, id+".json"))
}

func (s *store) remove(kind, id string) error {
	if err := os.Remove(filepath.Join(s.dir, kind, id+".json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.RemoveAll(filepath.Join(s.dir, kind, id))
}

func copyTree(from, to string) error {
	if err := os.RemoveAll(to); err != nil {
		return err
	}
	return filepath.WalkDir(from, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if entry.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
