package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
/** The MachineImage an ImagePolicy makes at each run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("The MachineImage made at each run: from which Instance, how, and its family, sharing, check and deletion policy.")
public class ImagePolicyImage {

  @JsonPropertyDescription("The Instance to capture, as a MachineImage's source.instance.")
  @Required
  private InstanceSource instance;

  @JsonPropertyDescription("Family of the images; Instances asking for it launch from the newest.")
  private String family;

  @JsonPropertyDescription("Free text for people, copied to each image.")
  private String description;

  @JsonPropertyDescription("Namespaces besides this one that may launch from the images.")
  private LaunchPermission launchPermission;

  @JsonPropertyDescription("What deregistering an image does to its snapshots: Delete (default) or Retain.")
  @Default("Delete")
  private DeletionPolicy deletionPolicy;

  @JsonPropertyDescription("Boot check of each image before it becomes Available.")
  private CheckSpec check;

  @JsonPropertyDescription("How long each image may take before it fails, such as 2h.")
  private String failureDeadline;

  public InstanceSource getInstance() {
    return instance;
  }

  public void setInstance(InstanceSource instance) {
    this.instance = instance;
  }

  public String getFamily() {
    return family;
  }

  public void setFamily(String family) {
    this.family = family;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public LaunchPermission getLaunchPermission() {
    return launchPermission;
  }

  public void setLaunchPermission(LaunchPermission launchPermission) {
    this.launchPermission = launchPermission;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public CheckSpec getCheck() {
    return check;
  }

  public void setCheck(CheckSpec check) {
    this.check = check;
  }

  public String getFailureDeadline() {
    return failureDeadline;
  }

  public void setFailureDeadline(String failureDeadline) {
    this.failureDeadline = failureDeadline;
  }
}
