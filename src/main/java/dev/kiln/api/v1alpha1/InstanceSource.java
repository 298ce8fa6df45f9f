package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Capture an image from an Instance in the same namespace. */
@ValidationRule(value = "!has(self.consistency) || self.consistency != 'Freeze' || has(self.freeze)", message = "source.instance.freeze is required when consistency is Freeze")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceSource {

  @JsonPropertyDescription("Name of the Instance.")
  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "source.instance.name must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String name;

  @JsonPropertyDescription("Stop (default), Freeze or None.")
  @Default("Stop")
  private Consistency consistency;

  @JsonPropertyDescription("Two-phase capture: first snapshot every disk while the instance runs, then hold it (Stop) or freeze it (Freeze) only for the final snapshots, which a driver with incremental snapshots cuts quickly. The first snapshots are deleted once the image is made.")
  private Boolean preSnapshot;

  @JsonPropertyDescription("Required with consistency Freeze.")
  private FreezeSpec freeze;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Consistency getConsistency() {
    return consistency;
  }

  public void setConsistency(Consistency consistency) {
    this.consistency = consistency;
  }

  public FreezeSpec getFreeze() {
    return freeze;
  }

  public void setFreeze(FreezeSpec freeze) {
    this.freeze = freeze;
  }

  public Boolean getPreSnapshot() {
    return preSnapshot;
  }

  public void setPreSnapshot(Boolean preSnapshot) {
    this.preSnapshot = preSnapshot;
  }
}
