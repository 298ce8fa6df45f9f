package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
/** What an ImagePolicy bakes, when, and how long it keeps what it baked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("When to bake (cron schedule and time zone), what (the image's source instance and settings) and what to keep.")
public class ImagePolicySpec {

  @JsonPropertyDescription("Cron schedule: five fields (minute hour day-of-month month day-of-week) as a CronJob's, or six with seconds first.")
  @Required
  @Size(max = 128)
  @ValidationRule(value = "self.matches('^ *[^ ]+( +[^ ]+){4,5} *$')", message = "schedule must be a cron expression of five fields (minute hour day-of-month month day-of-week), or six with seconds first")
  private String schedule;

  @JsonPropertyDescription("IANA time zone the schedule is read in, such as Europe/Paris; UTC when omitted.")
  @Size(max = 64)
  private String timeZone;

  @JsonPropertyDescription("While true no image is baked; retention still applies.")
  private Boolean suspend;

  @JsonPropertyDescription("The images to bake.")
  @Required
  private ImagePolicyImage image;

  @JsonPropertyDescription("Which of the policy's images to keep.")
  private ImageRetention retention;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public ImagePolicyImage getImage() {
    return image;
  }

  public void setImage(ImagePolicyImage image) {
    this.image = image;
  }

  public ImageRetention getRetention() {
    return retention;
  }

  public void setRetention(ImageRetention retention) {
    this.retention = retention;
  }
}
