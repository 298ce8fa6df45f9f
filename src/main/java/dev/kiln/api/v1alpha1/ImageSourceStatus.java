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
}
