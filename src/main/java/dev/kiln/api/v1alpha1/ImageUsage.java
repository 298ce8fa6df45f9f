package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How much an image is used. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageUsage {

  @JsonPropertyDescription("Instances launched from this image that still exist.")
  private Integer instances;

  @JsonPropertyDescription("When an Instance last launched from this image.")
  private String lastLaunchTime;

  public Integer getInstances() {
    return instances;
  }

  public void setInstances(Integer instances) {
    this.instances = instances;
  }

  public String getLastLaunchTime() {
    return lastLaunchTime;
  }

  public void setLastLaunchTime(String lastLaunchTime) {
    this.lastLaunchTime = lastLaunchTime;
  }
}
