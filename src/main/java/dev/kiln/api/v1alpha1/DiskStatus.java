package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The observed state of one disk. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DiskStatus {

  @JsonPropertyDescription("Disk name.")
  private String name;

  @JsonPropertyDescription("The PersistentVolumeClaim backing the disk (empty for ephemeral disks).")
  private String claimName;

  @JsonPropertyDescription("Capacity the claim reports, else the requested size.")
  private String size;

  @JsonPropertyDescription("Phase of the claim (Pending, Bound, Lost), or Ephemeral.")
  private String phase;

  @JsonPropertyDescription("What the disk was provisioned from: snapshot/<name>, image/<namespace>/<name>, or empty for a blank disk.")
  private String source;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }
}
