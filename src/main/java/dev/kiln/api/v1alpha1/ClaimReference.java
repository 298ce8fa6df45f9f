package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A PersistentVolumeClaim in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClaimReference {

  @JsonPropertyDescription("Name of the PersistentVolumeClaim.")
  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "source.persistentVolumeClaim.name must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
