package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crd.generator.annotation.SelectableField;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * The desired state of a MachineImage. Only family, description, launchPermission, deprecateAt,
 * deprecated and deletionPolicy can change after creation.
 */
@ValidationRule(value = "!has(self.source.snapshots) || has(self.template)", message = "spec.template is required when the image is registered from source.snapshots")
@ValidationRule(value = "self.source == oldSelf.source", message = "spec.source is immutable: create a new MachineImage instead")
@ValidationRule(value = "has(self.template) == has(oldSelf.template) && (!has(self.template) || self.template == oldSelf.template)", message = "spec.template is immutable: create a new MachineImage instead")
@ValidationRule(value = "has(self.platform) == has(oldSelf.platform) && (!has(self.platform) || self.platform == oldSelf.platform)", message = "spec.platform is immutable: create a new MachineImage instead")
@ValidationRule(value = "has(self.check) == has(oldSelf.check) && (!has(self.check) || self.check == oldSelf.check)", message = "spec.check is immutable: create a new MachineImage instead")
@ValidationRule(value = "has(self.failureDeadline) == has(oldSelf.failureDeadline) && (!has(self.failureDeadline) || self.failureDeadline == oldSelf.failureDeadline)", message = "spec.failureDeadline is immutable: create a new MachineImage instead")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("How the image is made (from an Instance or from Snapshots) and how it is shared, checked, deprecated and deleted.")
public class MachineImageSpec {

  @JsonPropertyDescription("Where the image's disks come from.")
  @Required
  private ImageSource source;

  @JsonPropertyDescription("The machine as a PodTemplateSpec; required with source.snapshots, otherwise captured from the source.")
  @PreserveUnknownFields
  @SchemaFrom(type = Object.class)
  @JsonDeserialize(using = LenientTemplateDeserializer.class)
  private PodTemplateSpec template;

  @JsonPropertyDescription("Image family; Instances asking for the family get its newest Available image. "
      + "Selectable: kubectl get mi --field-selector spec.family=<family>.")
  @SelectableField
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "family must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String family;

  @JsonPropertyDescription("Free text for people.")
  @Size(max = 1024)
  private String description;

  @JsonPropertyDescription("Operating system and architecture; captured from the node when the source is an instance.")
  private Platform platform;

  @JsonPropertyDescription("Namespaces besides this one that may launch Instances from the image.")
  private LaunchPermission launchPermission;

  @JsonPropertyDescription("When the image becomes Deprecated (RFC 3339 time).")
  @ValidationRule(value = "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$')", message = "deprecateAt must be an RFC 3339 time such as 2027-06-01T00:00:00Z")
  private String deprecateAt;

  @JsonPropertyDescription("Deprecate the image now.")
  private Boolean deprecated;

  @JsonPropertyDescription("Delete (default) deletes the snapshots the image created when it is deleted; Retain keeps them.")
  @Default("Delete")
  private DeletionPolicy deletionPolicy;

  @JsonPropertyDescription("While true the API server refuses to delete the image (the chart's ValidatingAdmissionPolicy); set it to false first.")
  private Boolean deletionProtection;

  @JsonPropertyDescription("While true the image is Disabled: no new Instance launches from it, by name or family, here or in other namespaces; its snapshots and the Instances launched from it stay. Set it to false to enable it again.")
  private Boolean disabled;

  @JsonPropertyDescription("Boot check before the image becomes Available.")
  private CheckSpec check;

  @JsonPropertyDescription("How long creation may take before the image fails, such as 24h; the operator's default when omitted.")
  @ValidationRule(value = "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')", message = "failureDeadline must be a duration such as 90s, 30m or 24h")
  private String failureDeadline;

  public ImageSource getSource() {
    return source;
  }

  public void setSource(ImageSource source) {
    this.source = source;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
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

  public Platform getPlatform() {
    return platform;
  }

  public void setPlatform(Platform platform) {
    this.platform = platform;
  }

  public LaunchPermission getLaunchPermission() {
    return launchPermission;
  }

  public void setLaunchPermission(LaunchPermission launchPermission) {
    this.launchPermission = launchPermission;
  }

  public String getDeprecateAt() {
    return deprecateAt;
  }

  public void setDeprecateAt(String deprecateAt) {
    this.deprecateAt = deprecateAt;
  }

  public Boolean getDeprecated() {
    return deprecated;
  }

  public void setDeprecated(Boolean deprecated) {
    this.deprecated = deprecated;
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

  public Boolean getDeletionProtection() {
    return deletionProtection;
  }

  public void setDeletionProtection(Boolean deletionProtection) {
    this.deletionProtection = deletionProtection;
  }

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }
}
