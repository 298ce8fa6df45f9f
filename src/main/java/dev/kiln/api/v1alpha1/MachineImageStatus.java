package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;

/** The observed state of a MachineImage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the image holds: its phase, disks, pinned template, platform and storage, how its capture went, its conditions.")
public class MachineImageStatus extends KilnStatus {

  @JsonPropertyDescription("Pending, Creating, Checking, Available, Deprecated or Failed.")
  private MachineImagePhase phase;

  @JsonPropertyDescription("What the image was captured from.")
  private ImageSourceStatus source;

  @JsonPropertyDescription("The image's disks, ephemeral ones included.")
  private List<ImageDisk> disks;

  @JsonPropertyDescription("Sum of the snapshots' restore sizes: what keeping this image costs.")
  private String storage;

  @JsonPropertyDescription("The captured template, container images pinned to digests where the pod reported them.")
  @PreserveUnknownFields
  @SchemaFrom(type = Object.class)
  @JsonDeserialize(using = LenientTemplateDeserializer.class)
  private PodTemplateSpec template;

  @JsonPropertyDescription("Operating system and architecture.")
  private Platform platform;

  @JsonPropertyDescription("When creation started.")
  private String createdTime;

  @JsonPropertyDescription("When the image became Available.")
  private String availableTime;

  @JsonPropertyDescription("The boot check's outcome.")
  private CheckStatus check;

  @JsonPropertyDescription("How many Instances were launched from the image.")
  private ImageUsage usage;

  public MachineImagePhase getPhase() {
    return phase;
  }

  public void setPhase(MachineImagePhase phase) {
    this.phase = phase;
  }

  public ImageSourceStatus getSource() {
    return source;
  }

  public void setSource(ImageSourceStatus source) {
    this.source = source;
  }

  public List<ImageDisk> getDisks() {
    return disks;
  }

  public void setDisks(List<ImageDisk> disks) {
    this.disks = disks;
  }

  public String getStorage() {
    return storage;
  }

  public void setStorage(String storage) {
    this.storage = storage;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
  }

  public Platform getPlatform() {
    return platform;
  }

  public void setPlatform(Platform platform) {
    this.platform = platform;
  }

  public String getCreatedTime() {
    return createdTime;
  }

  public void setCreatedTime(String createdTime) {
    this.createdTime = createdTime;
  }

  public String getAvailableTime() {
    return availableTime;
  }

  public void setAvailableTime(String availableTime) {
    this.availableTime = availableTime;
  }

  public CheckStatus getCheck() {
    return check;
  }

  public void setCheck(CheckStatus check) {
    this.check = check;
  }

  public ImageUsage getUsage() {
    return usage;
  }

  public void setUsage(ImageUsage usage) {
    this.usage = usage;
  }
}
