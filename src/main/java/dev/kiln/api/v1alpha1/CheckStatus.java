package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The outcome of the boot check. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckStatus {

  @JsonPropertyDescription("Passed, Failed or Skipped.")
  private CheckResult result;

  @JsonPropertyDescription("What the check saw.")
  private String message;

  @JsonPropertyDescription("The throwaway Instance used for the check.")
  private String instance;

  @JsonPropertyDescription("When the check started.")
  private String startTime;

  public CheckResult getResult() {
    return result;
  }

  public void setResult(CheckResult result) {
    this.result = result;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getInstance() {
    return instance;
  }

  public void setInstance(String instance) {
    this.instance = instance;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }
}
