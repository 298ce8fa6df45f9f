package dev.kiln.testing.sim;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The snapshot data the simulated storage system holds, by handle: cut by CreateSnapshot, gone with
 * DeleteSnapshot (a content with deletionPolicy Delete that is deleted). A content that names a
 * handle is only a reference to it; a restore or a pre-provisioned content of a handle whose data is
 * gone fails, as a driver answers NotFound.
 */
public final class StoredSnapshots {

  /** What the driver reports of a stored snapshot. */
  record Stored(long restoreSize, long creationTime) {}

  private final Map<String, Stored> data = new ConcurrentHashMap<>();

  void cut(String handle, long restoreSize, long creationTime) {
    data.put(handle, new Stored(restoreSize, creationTime));
  }

  Optional<Stored> find(String handle) {
    return Optional.ofNullable(handle == null ? null : data.get(handle));
  }

  void delete(String handle) {
    data.remove(handle);
  }

  /** Whether the storage system still holds the data of this snapshot handle. */
  public boolean holds(String handle) {
    return data.containsKey(handle);
  }

  /** Every handle whose data is held. */
  public Set<String> handles() {
    return Set.copyOf(data.keySet());
  }
}
