package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** A boot check: launch a throwaway Instance from the image before it becomes Available. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckSpec {

  @JsonPropertyDescription("Run the check.")
  @Default("false")
  private Boolean enabled;

  @JsonPropertyDescription("How long the throwaway Instance may take to become ready, such as 5m.")
  @Default("5m")
  @ValidationRule(value = "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')", message = "check.timeout must be a duration such as 90s, 30m or 24h")
  private String timeout;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }
}
