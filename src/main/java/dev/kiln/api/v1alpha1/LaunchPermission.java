package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Who may launch Instances from an image besides its own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LaunchPermission {

  @JsonPropertyDescription("Namespaces whose Instances may launch from this image.")
  @Size(max = 256)
  private List<String> namespaces;

  @JsonPropertyDescription("Every namespace may launch from this image.")
  @Default("false")
  private Boolean all;

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public Boolean getAll() {
    return all;
  }

  public void setAll(Boolean all) {
    this.all = all;
  }
}
