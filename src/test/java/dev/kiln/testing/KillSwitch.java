package dev.kiln.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kills the operator that holds it right after its n-th write into one namespace has been sent: every
 * request after that fails, as none would be made by a process that died. A crash at any point of a
 * lifecycle, chosen by counting writes rather than by guessing where the steps are.
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

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (tripped) {
      throw new IllegalStateException("the operator is dead");
    }
    if (!"GET".equals(request.method()) && request.uri().getPath().contains(namespacePath)
        && seen.incrementAndGet() == writes) {
      tripped = true;
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
