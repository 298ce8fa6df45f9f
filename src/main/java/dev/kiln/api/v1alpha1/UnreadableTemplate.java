package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * Stands for a template that is valid JSON but not a Pod template (a string where a list belongs,
 * say). The API server accepts it, as the schema leaves templates open; reading it leniently keeps
 * one such object from breaking the informers of every controller, and lets Kiln fail that object
 * alone with a reason. It is written back exactly as it was read, so that a copy of the object (the
 * caches clone what they hand out) is as unreadable as the original and nothing of it is lost.
 */
public final class UnreadableTemplate extends PodTemplateSpec {

  @JsonIgnore
  private final String problem;
  @JsonIgnore
  private final JsonNode raw;

  UnreadableTemplate(String problem, JsonNode raw) {
    this.problem = problem;
    this.raw = raw;
  }

  @JsonValue
  JsonNode raw() {
    return raw;
  }

  /** Where the template goes wrong and how, for a condition message. */
  @JsonIgnore
  public String problem() {
    return problem;
  }
}
