package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Where an ImagePolicy stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The last and next run, the images the policy made, and its last failure.")
public class ImagePolicyStatus extends KilnStatus {

  @JsonPropertyDescription("The scheduled time of the last run (a run skipped because an image was still being made counts).")
  private String lastScheduleTime;

  @JsonPropertyDescription("The image the last run made.")
  private String lastImage;

  @JsonPropertyDescription("When the next run is due.")
  private String nextScheduleTime;

  @JsonPropertyDescription("The images of the policy that exist, newest first.")
  private List<String> images;

  @JsonPropertyDescription("The last image of the policy that failed, and why.")
  private PolicyFailure lastFailure;

  public String getLastScheduleTime() {
    return lastScheduleTime;
  }

  public void setLastScheduleTime(String lastScheduleTime) {
    this.lastScheduleTime = lastScheduleTime;
  }

  public String getLastImage() {
    return lastImage;
  }

  public void setLastImage(String lastImage) {
    this.lastImage = lastImage;
  }

  public String getNextScheduleTime() {
    return nextScheduleTime;
  }

  public void setNextScheduleTime(String nextScheduleTime) {
    this.nextScheduleTime = nextScheduleTime;
  }

  public List<String> getImages() {
    return images;
  }

  public void setImages(List<String> images) {
    this.images = images;
  }

  public PolicyFailure getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(PolicyFailure lastFailure) {
    this.lastFailure = lastFailure;
  }
}
