package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** What a Snapshot copies: exactly one of an Instance's disk or a PersistentVolumeClaim. */
@ValidationRule(value = "has(self.instance) != has(self.persistentVolumeClaim)", message = "source: set exactly one of instance or persistentVolumeClaim")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SnapshotSource {

  @JsonPropertyDescription("A persistent disk of an Instance in the same namespace.")
  private InstanceDiskReference instance;

  @JsonPropertyDescription("A PersistentVolumeClaim in the same namespace.")
  private ClaimReference persistentVolumeClaim;

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
}
