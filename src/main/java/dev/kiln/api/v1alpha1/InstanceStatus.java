package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The observed state of an Instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the Instance is: its phase, its disks, its machine, the image it launched from, its conditions.")
public class InstanceStatus extends KilnStatus {

  @JsonPropertyDescription("Pending, Running, Stopping, Stopped, Terminating or Failed.")
  private InstancePhase phase;

  @JsonPropertyDescription("The image the Instance was launched from, frozen at launch.")
  private InstanceImageStatus image;

  @JsonPropertyDescription("The observed state of each disk.")
  private List<DiskStatus> disks;

  @JsonPropertyDescription("The Pod running the machine, while there is one.")
  private String podName;

  @JsonPropertyDescription("The node the machine runs (or last ran) on.")
  private String nodeName;

  @JsonPropertyDescription("Operating system and architecture of the node the machine runs (or last ran) on.")
  private Platform platform;

  public InstancePhase getPhase() {
    return phase;
  }

  public void setPhase(InstancePhase phase) {
    this.phase = phase;
  }

  public InstanceImageStatus getImage() {
    return image;
  }

  public void setImage(InstanceImageStatus image) {
    this.image = image;
  }

  public List<DiskStatus> getDisks() {
    return disks;
  }

  public void setDisks(List<DiskStatus> disks) {
    this.disks = disks;
  }

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public Platform getPlatform() {
    return platform;
  }

  public void setPlatform(Platform platform) {
    this.platform = platform;
  }
}
