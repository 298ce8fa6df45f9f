package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A persistent disk of an Instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceDiskReference {

  @JsonPropertyDescription("Name of the Instance.")
  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "source.instance.name must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String name;

  @JsonPropertyDescription("Name of the Instance's disk.")
  @Required
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "source.instance.disk must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")
  private String disk;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getDisk() {
    return disk;
  }

  public void setDisk(String disk) {
    this.disk = disk;
  }
}
