package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The MachineImage an Instance launches from: by name, or the newest image of a family. */
@ValidationRule(value = "has(self.name) != has(self.family)", message = "image: set exactly one of name or family")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageReference {

  @JsonPropertyDescription("Name of a MachineImage.")
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "image.name must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String name;

  @JsonPropertyDescription("Image family: the newest Available, non-deprecated image of this family, resolved once at launch.")
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "image.family must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String family;

  @JsonPropertyDescription("Namespace of the image; defaults to the Instance's own. Another namespace's image needs its launch permission.")
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "image.namespace must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")
  private String namespace;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getFamily() {
    return family;
  }

  public void setFamily(String family) {
    this.family = family;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
