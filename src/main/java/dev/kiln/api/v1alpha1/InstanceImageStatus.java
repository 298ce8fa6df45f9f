package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;

/** The image an Instance was launched from, frozen at launch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceImageStatus {

  @JsonPropertyDescription("Namespace of the image.")
  private String namespace;

  @JsonPropertyDescription("Name of the image.")
  private String name;

  @JsonPropertyDescription("UID of the image, so that an image made later under the same name is not taken for it.")
  private String uid;

  @JsonPropertyDescription("The family the image was resolved from, when the Instance asked for a family.")
  private String resolvedFromFamily;

  @JsonPropertyDescription("When the image was resolved for this Instance.")
  private String launchTime;

  @JsonPropertyDescription("The image's disks as they were at launch; the Instance keeps them even if the image is deregistered.")
  private List<ImageDisk> disks;

  @JsonPropertyDescription("The image's template as it was at launch.")
  @PreserveUnknownFields
  @SchemaFrom(type = Object.class)
  @JsonDeserialize(using = LenientTemplateDeserializer.class)
  private PodTemplateSpec template;

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public String getResolvedFromFamily() {
    return resolvedFromFamily;
  }

  public void setResolvedFromFamily(String resolvedFromFamily) {
    this.resolvedFromFamily = resolvedFromFamily;
  }

  public String getLaunchTime() {
    return launchTime;
  }

  public void setLaunchTime(String launchTime) {
    this.launchTime = launchTime;
  }

  public List<ImageDisk> getDisks() {
    return disks;
  }

  public void setDisks(List<ImageDisk> disks) {
    this.disks = disks;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
  }
}
