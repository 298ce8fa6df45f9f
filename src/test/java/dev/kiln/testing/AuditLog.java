package dev.kiln.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The operator's requests, as the test API servers' audit logs recorded them (one log per test class). */
public final class AuditLog {

  /**
   * One request.
   *
   * @param source the test class whose API server saw it
   * @param namespace the namespace of the object, empty for cluster-scoped ones (tests name theirs after the test)
   * @param apiGroup the API group, empty for the core group
   * @param resource the resource, with its subresource after a slash (pods/exec)
   * @param verb the authorisation verb (get, list, watch, create, update, patch, delete, ...)
   * @param code the HTTP status of the response
   * @param authorized whether RBAC allowed it (a request may be allowed and still refused by admission)
   */
  public record Request(String source, String namespace, String apiGroup, String resource, String verb, int code,
      boolean authorized) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /** Every request of every log in target/audit, each audit event once. */
  public static List<Request> read() {
    Path dir = TestEnvironment.auditDir();
    List<Request> requests = new ArrayList<>();
    try (Stream<Path> logs = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        requests.addAll(readFrom(log, 0, Files.size(log)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requests;
  }

  /**
   * The requests a log holds so far, up to its last whole line: its API server may be writing the
   * next one.
   */
  public static List<Request> readSoFar(Path log) {
    return readFrom(log, 0, completeLines(log));
  }

  /** The length of the log up to the end of its last whole line. */
  public static long completeLines(Path log) {
    try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
      long end = file.length();
      while (end > 0) {
        file.seek(end - 1);
        if (file.read() == '\n') {
          break;
        }
        end--;
      }
      return end;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requests one log recorded between two byte offsets (whole lines), each audit event once. */
  public static List<Request> readFrom(Path log, long offset, long end) {
    String source = log.getFileName().toString().replaceFirst("\\.log$", "");
    List<Request> requests = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (var file = Files.newInputStream(log)) {
      file.skipNBytes(offset);
      var in = new java.io.ByteArrayInputStream(file.readNBytes((int) (end - offset)));
      var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        if (seen.add(event.path("auditID").asText()) && event.has("objectRef")) {
          requests.add(request(source, event));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requests;
  }

  private static Request request(String source, JsonNode event) {
    JsonNode ref = event.path("objectRef");
    String resource = ref.path("resource").asText();
    if (ref.hasNonNull("subresource")) {
      resource += "/" + ref.path("subresource").asText();
    }
    return new Request(source, ref.path("namespace").asText(""), ref.path("apiGroup").asText(""), resource,
        event.path("verb").asText(), event.path("responseStatus").path("code").asInt(),
        "allow".equals(event.path("annotations").path("authorization.k8s.io/decision").asText()));
  }
}
