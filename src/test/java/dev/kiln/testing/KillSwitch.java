package dev.kiln.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kills the operator that holds it right after its n-th write into one namespace has been sent: every
 * request after that goes to a port nobody listens on and fails as a refused connection, so that none
 * reaches the API server, as none would from a process that died. (Failing them here instead would
 * fail them before they are sent, which the client treats as a bug rather than as the network, and
 * gives up on its watches for good.) A crash at any point of a lifecycle, chosen by counting writes
 * rather than by guessing where the steps are.
 */
public final class KillSwitch implements Interceptor {

  private final int writes;
  private final String namespacePath;
  private final AtomicInteger seen = new AtomicInteger();
  private volatile boolean tripped;

  /**
   * @param writes the write after which the operator dies; {@link Integer#MAX_VALUE} to count only
   * @param namespace the namespace whose writes count
   */
  public KillSwitch(int writes, String namespace) {
    this.writes = writes;
    this.namespacePath = "/namespaces/" + namespace + "/";
  }

  /** A local port that was free a moment ago: connections to it are refused. */
  private static final int NOWHERE = closedPort();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (tripped) {
      URI uri = request.uri();
      builder.uri(URI.create("https://127.0.0.1:" + NOWHERE + uri.getRawPath()
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
      return;
    }
    if (!"GET".equals(request.method()) && request.uri().getPath().contains(namespacePath)
        && seen.incrementAndGet() == writes) {
      tripped = true;
    }
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean tripped() {
    return tripped;
  }

  /** The writes into the namespace so far. */
  public int writes() {
    return seen.get();
  }
}
