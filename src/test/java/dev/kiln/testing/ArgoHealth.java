package dev.kiln.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;

/**
 * Runs the Argo CD health check Kiln ships (docs/argocd/health.lua) the way Argo CD runs it: on
 * Lua 5.1, with the object as the global {@code obj}, taking the table the script returns.
 */
public final class ArgoHealth {

  public static final Path SCRIPT = Path.of("docs", "argocd", "health.lua");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** What Argo CD would show: Healthy, Progressing, Degraded, Suspended..., and why. */
  public record Verdict(String status, String message) {}

  private ArgoHealth() {}

  public static Verdict of(HasMetadata object) {
    String script;
    try {
      script = Files.readString(SCRIPT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Lua lua = new Lua51()) {
      lua.openLibraries();
      lua.run("obj = " + literal(SERIALIZATION.convertValue(object, JsonNode.class)));
      lua.push(script);
      lua.setGlobal("health_script");
      lua.run("""
          local check = assert(loadstring(health_script, "health.lua"))
          local health = check()
          health_status = health.status
          health_message = health.message
          """);
      return new Verdict(global(lua, "health_status"), global(lua, "health_message"));
    } catch (Exception e) {
      throw new IllegalStateException("the health check failed on " + object.getKind() + " "
          + object.getMetadata().getName() + ": " + e.getMessage(), e);
    }
  }

  private static String global(Lua lua, String name) {
    lua.getGlobal(name);
    String value = lua.toString(-1);
    lua.pop(1);
    return value;
  }

  /** The object as a Lua table constructor, as Argo CD hands it to the script (nulls left out). */
  static String literal(JsonNode node) {
    if (node == null || node.isNull()) {
      return "nil";
    }
    if (node.isObject()) {
      StringBuilder table = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getValue().isNull()) {
          table.append('[').append(string(field.getKey())).append("]=").append(literal(field.getValue())).append(',');
        }
      }
      return table.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder table = new StringBuilder("{");
      node.forEach(item -> table.append(literal(item)).append(','));
      return table.append('}').toString();
    }
    if (node.isBoolean() || node.isNumber()) {
      return node.asText();
    }
    return string(node.asText());
  }

  /** A Lua string literal: printable ASCII as it is, every other byte as a decimal escape. */
  private static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append((char) c);
      } else {
        out.append('\\').append(String.format("%03d", c));
      }
    }
    return out.append('"').toString();
  }
}
