package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Commands that quiesce the machine's filesystems around the snapshot cut. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FreezeSpec {

  @JsonPropertyDescription("Container to run the commands in; the first container when omitted.")
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "freeze.container must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters")
  private String container;

  @JsonPropertyDescription("Command that freezes the filesystems.")
  @Required
  @Size(min = 1)
  private List<String> freezeCommand;

  @JsonPropertyDescription("Command that thaws them; always run, at the latest when the timeout expires.")
  @Required
  @Size(min = 1)
  private List<String> thawCommand;

  @JsonPropertyDescription("How long the machine may stay frozen, such as 30s; at least 1s, at most 10m.")
  @Default("30s")
  @ValidationRule(value = "self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$')", message = "freeze.timeout must be a duration such as 30s or 2m")
  @ValidationRule(value = "!self.matches('^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$') || (duration(self) >= duration('1s') && duration(self) <= duration('10m'))", message = "freeze.timeout must be between 1s and 10m: a frozen machine cannot write")
  private String timeout;

  public String getContainer() {
    return container;
  }

  public void setContainer(String container) {
    this.container = container;
  }

  public List<String> getFreezeCommand() {
    return freezeCommand;
  }

  public void setFreezeCommand(List<String> freezeCommand) {
    this.freezeCommand = freezeCommand;
  }

  public List<String> getThawCommand() {
    return thawCommand;
  }

  public void setThawCommand(List<String> thawCommand) {
    this.thawCommand = thawCommand;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }
}
