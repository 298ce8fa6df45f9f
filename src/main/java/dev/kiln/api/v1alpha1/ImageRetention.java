package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
/** Which of an ImagePolicy's images to keep. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Images beyond count or older than maxAge are retired: deprecated, then deregistered once deprecatedFor has passed.")
public class ImageRetention {

  @JsonPropertyDescription("How many of the newest made images to keep.")
  @Min(1)
  private Integer count;

  @JsonPropertyDescription("Images older than this are retired, such as 720h.")
  @ValidationRule(value = "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')", message = "retention.maxAge must be a duration such as 720h")
  private String maxAge;

  @JsonPropertyDescription("How long a retired image stays deprecated (launchable by name, skipped by its family) before it is deregistered; 24h when omitted.")
  @ValidationRule(value = "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')", message = "retention.deprecatedFor must be a duration such as 24h")
  private String deprecatedFor;

  @JsonPropertyDescription("Keep retired images that Instances were launched from (deprecated, not deregistered).")
  private Boolean keepLaunched;

  public Integer getCount() {
    return count;
  }

  public void setCount(Integer count) {
    this.count = count;
  }

  public String getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(String maxAge) {
    this.maxAge = maxAge;
  }

  public String getDeprecatedFor() {
    return deprecatedFor;
  }

  public void setDeprecatedFor(String deprecatedFor) {
    this.deprecatedFor = deprecatedFor;
  }

  public Boolean getKeepLaunched() {
    return keepLaunched;
  }

  public void setKeepLaunched(Boolean keepLaunched) {
    this.keepLaunched = keepLaunched;
  }
}
