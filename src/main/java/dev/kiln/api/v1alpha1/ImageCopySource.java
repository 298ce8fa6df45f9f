package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Copy an existing image into this namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageCopySource {

  @JsonPropertyDescription("Namespace of the image to copy; its launch permission must name this namespace.")
  @Required
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "source.image.namespace must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")
  private String namespace;

  @JsonPropertyDescription("Name of the image to copy.")
  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "source.image.name must be a lowercase DNS-1123 name (a-z, 0-9, '-' and '.')")
  private String name;

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
}
