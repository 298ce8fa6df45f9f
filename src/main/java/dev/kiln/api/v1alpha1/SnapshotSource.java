package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** What a Snapshot copies: exactly one of an Instance's disk, a PersistentVolumeClaim or a storage snapshot. */
@ValidationRule(value = "(has(self.instance) ? 1 : 0) + (has(self.persistentVolumeClaim) ? 1 : 0) + (has(self.handle) ? 1 : 0) == 1", message = "source: set exactly one of instance, persistentVolumeClaim or handle")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotSource {

  @JsonPropertyDescription("A persistent disk of an Instance in the same namespace.")
  private InstanceDiskReference instance;

  @JsonPropertyDescription("A PersistentVolumeClaim in the same namespace.")
  private ClaimReference persistentVolumeClaim;

  @JsonPropertyDescription("A snapshot the storage system already holds (an image copy's snapshots are made so).")
  private SnapshotHandleSource handle;

  public InstanceDiskReference getInstance() {
    return instance;
  }

  public void setInstance(InstanceDiskReference instance) {
    this.instance = instance;
  }

  public ClaimReference getPersistentVolumeClaim() {
    return persistentVolumeClaim;
  }

  public void setPersistentVolumeClaim(ClaimReference persistentVolumeClaim) {
    this.persistentVolumeClaim = persistentVolumeClaim;
  }

  public SnapshotHandleSource getHandle() {
    return handle;
  }

  public void setHandle(SnapshotHandleSource handle) {
    this.handle = handle;
  }
}
