package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.io.IOException;
import java.util.stream.Collectors;

/** Reads a template field; one that is not a Pod template becomes an {@link UnreadableTemplate}. */
public final class LenientTemplateDeserializer extends StdDeserializer<PodTemplateSpec> {

  public LenientTemplateDeserializer() {
    super(PodTemplateSpec.class);
  }

  @Override
  public PodTemplateSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode tree = parser.readValueAsTree();
    try {
      return context.readTreeAsValue(tree, PodTemplateSpec.class);
    } catch (JsonMappingException e) {
      return new UnreadableTemplate(describe(e), tree);
    }
  }

  private static String describe(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining());
    String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst().orElse("");
    return (path.isEmpty() ? "the template" : "template" + path) + ": " + message;
  }
}
