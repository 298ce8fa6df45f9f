package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;

/** The desired state of an Instance. */
@ValidationRule(value = "has(self.template) || has(self.image)", message = "spec.template is required unless the instance launches from spec.image")
@ValidationRule(value = "!has(self.disks) || self.disks.filter(d, has(d.boot) && d.boot).size() <= 1", message = "at most one disk can be the boot disk")
@ValidationRule(value = "has(self.image) || !has(self.disks) || self.disks.all(d, (has(d.ephemeral) && d.ephemeral) || has(d.snapshot) || has(d.size))", message = "a persistent disk needs a size unless it starts from a snapshot or an image")
@ValidationRule(value = "!has(self.disks) || !has(oldSelf.disks) || self.disks.all(d, !has(d.size) || !isQuantity(d.size) || oldSelf.disks.all(o, o.name != d.name || !has(o.size) || !isQuantity(o.size) || quantity(d.size).compareTo(quantity(o.size)) >= 0))", message = "a disk can grow but never shrink: its new size is smaller than before")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("What the Instance should be: its template, its disks, whether it runs, the image it launches from.")
public class InstanceSpec {

  @JsonPropertyDescription("Desired power state: true runs the machine, false stops it and keeps its disks.")
  @Default("true")
  private Boolean running;

  @JsonPropertyDescription("While true the API server refuses to delete the Instance (the chart's ValidatingAdmissionPolicy); set it to false first.")
  private Boolean deletionProtection;

  @JsonPropertyDescription("What runs the machine: pod (default); kubevirt is not supported yet.")
  @Default("pod")
  private RuntimeType runtime;

  @JsonPropertyDescription("The MachineImage to launch from; its disks and template are used unless overridden here.")
  private ImageReference image;

  @JsonPropertyDescription("The machine as a PodTemplateSpec (see kubectl explain pod.spec); containers mount disks by disk name. Optional when launching from an image.")
  @PreserveUnknownFields
  @SchemaFrom(type = Object.class)
  @JsonDeserialize(using = LenientTemplateDeserializer.class)
  private PodTemplateSpec template;

  @JsonPropertyDescription("The machine's disks.")
  @Size(max = 16)
  @ValidationRule(value = "self.all(d, self.exists_one(e, e.name == d.name))", message = "disk names must be unique")
  private List<Disk> disks;

  public Boolean getRunning() {
    return running;
  }

  public void setRunning(Boolean running) {
    this.running = running;
  }

  public RuntimeType getRuntime() {
    return runtime;
  }

  public void setRuntime(RuntimeType runtime) {
    this.runtime = runtime;
  }

  public ImageReference getImage() {
    return image;
  }

  public void setImage(ImageReference image) {
    this.image = image;
  }

  public PodTemplateSpec getTemplate() {
    return template;
  }

  public void setTemplate(PodTemplateSpec template) {
    this.template = template;
  }

  public List<Disk> getDisks() {
    return disks;
  }

  public void setDisks(List<Disk> disks) {
    this.disks = disks;
  }

  public Boolean getDeletionProtection() {
    return deletionProtection;
  }

  public void setDeletionProtection(Boolean deletionProtection) {
    this.deletionProtection = deletionProtection;
  }
}
