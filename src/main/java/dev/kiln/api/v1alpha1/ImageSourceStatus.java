package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an image was captured from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSourceStatus {

  @JsonPropertyDescription("The Instance captured, for images created from an instance.")
  private String instance;

  @JsonPropertyDescription("The consistency the capture achieved.")
  private Consistency consistencyAchieved;

  @JsonPropertyDescription("Whether the image holds the source instance stopped right now, until every snapshot is cut.")
  private Boolean held;

  @JsonPropertyDescription("When the freeze of the source's filesystems was decided (consistency Freeze), recorded before the freeze command runs: until a thaw is recorded, the filesystems count as possibly frozen and any pass thaws them before doing anything else with them.")
  private String freezeRequestedAt;

  @JsonPropertyDescription("When the source's filesystems were frozen (consistency Freeze), while they are; they are thawed once every snapshot is cut, at the latest when freeze.timeout expires.")
  private String frozenAt;

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
}
