package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An image of an ImagePolicy that failed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyFailure {

  @JsonPropertyDescription("The failed image.")
  private String image;

  @JsonPropertyDescription("When it failed.")
  private String time;

  @JsonPropertyDescription("Its failure reason.")
  private String reason;

  @JsonPropertyDescription("Its failure message.")
  private String message;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
