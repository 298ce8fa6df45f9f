package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an image was captured or copied from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSourceStatus {

  @JsonPropertyDescription("The Instance captured, for images created from an instance.")
  private String instance;

  @JsonPropertyDescription("The MachineImage copied, as namespace/name, for images copied from another (source.image).")
  private String image;

  @JsonPropertyDescription("The uid of the MachineImage copied: an image made later under the same name is another image.")
  private String imageUid;

  @JsonPropertyDescription("The consistency the capture achieved.")
  private Consistency consistencyAchieved;

  @JsonPropertyDescription("Whether the image holds the source instance stopped right now, until every snapshot is cut.")
  private Boolean held;

  @JsonPropertyDescription("When the freeze of the source's filesystems was decided (consistency Freeze), recorded before the freeze command runs: until a thaw is recorded, the filesystems count as possibly frozen and any pass thaws them before doing anything else with them.")
  private String freezeRequestedAt;

  @JsonPropertyDescription("When the source's filesystems were frozen (consistency Freeze), while they are; they are thawed once every snapshot is cut, at the latest when freeze.timeout expires.")
  private String frozenAt;

  @JsonPropertyDescription("A two-phase capture (source.instance.preSnapshot) is under way or was made: snapshots were taken while the instance ran before the final ones.")
  private Boolean preSnapshot;

  @JsonPropertyDescription("When the last of the first snapshots of a two-phase capture was cut, while the instance ran.")
  private String preSnapshotCutTime;

  @JsonPropertyDescription("When the last of the image's snapshots was cut.")
  private String cutTime;

  @JsonPropertyDescription("When the instance was held stopped or its filesystems frozen for the cut.")
  private String holdStartTime;

  @JsonPropertyDescription("How long the instance was held stopped or frozen for the cut, such as 2.5s.")
  private String heldFor;

  public String getInstance() {
    return instance;
  }

  public void setInstance(String instance) {
    this.instance = instance;
  }

  public Consistency getConsistencyAchieved() {
    return consistencyAchieved;
  }

  public void setConsistencyAchieved(Consistency consistencyAchieved) {
    this.consistencyAchieved = consistencyAchieved;
  }

  public Boolean getHeld() {
    return held;
  }

  public void setHeld(Boolean held) {
    this.held = held;
  }

  public String getFreezeRequestedAt() {
    return freezeRequestedAt;
  }

  public void setFreezeRequestedAt(String freezeRequestedAt) {
    this.freezeRequestedAt = freezeRequestedAt;
  }

  public String getFrozenAt() {
    return frozenAt;
  }

  public void setFrozenAt(String frozenAt) {
    this.frozenAt = frozenAt;
  }

  public Boolean getPreSnapshot() {
    return preSnapshot;
  }

  public void setPreSnapshot(Boolean preSnapshot) {
    this.preSnapshot = preSnapshot;
  }

  public String getPreSnapshotCutTime() {
    return preSnapshotCutTime;
  }

  public void setPreSnapshotCutTime(String preSnapshotCutTime) {
    this.preSnapshotCutTime = preSnapshotCutTime;
  }

  public String getCutTime() {
    return cutTime;
  }

  public void setCutTime(String cutTime) {
    this.cutTime = cutTime;
  }

  public String getHoldStartTime() {
    return holdStartTime;
  }

  public void setHoldStartTime(String holdStartTime) {
    this.holdStartTime = holdStartTime;
  }

  public String getHeldFor() {
    return heldFor;
  }

  public void setHeldFor(String heldFor) {
    this.heldFor = heldFor;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getImageUid() {
    return imageUid;
  }

  public void setImageUid(String imageUid) {
    this.imageUid = imageUid;
  }
}
