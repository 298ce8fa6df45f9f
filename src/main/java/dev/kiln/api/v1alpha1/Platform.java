package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** The operating system and CPU architecture a machine image runs on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Platform {

  @JsonPropertyDescription("Operating system, as the Kubernetes node label kubernetes.io/os reports it (for example linux or windows).")
  @Size(min = 1, max = 63)
  private String os;

  @JsonPropertyDescription("CPU architecture, as the node label kubernetes.io/arch reports it (for example amd64 or arm64).")
  @Size(min = 1, max = 63)
  private String architecture;

  public String getOs() {
    return os;
  }

  public void setOs(String os) {
    this.os = os;
  }

  public String getArchitecture() {
    return architecture;
  }

  public void setArchitecture(String architecture) {
    this.architecture = architecture;
  }
}
