package dev.kiln.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the operator's status writes into one namespace conflict, as a user's edit in between would:
 * just before each of the first n of them is sent, the object is changed (an annotation), so that a
 * write still carrying the version the operator read is refused with 409.
 */
public final class ConflictInjector implements Interceptor {

  private final KubernetesClient admin;
  private final String namespacePath;
  private final AtomicInteger remaining;
  private final AtomicInteger injected = new AtomicInteger();

  public ConflictInjector(KubernetesClient admin, String namespace, int conflicts) {
    this.admin = admin;
    this.namespacePath = "/apis/kiln.dev/v1alpha1/namespaces/" + namespace + "/";
    this.remaining = new AtomicInteger(conflicts);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getPath();
    if (!"PATCH".equals(request.method()) || !path.startsWith(namespacePath) || !path.endsWith("/status")
        || remaining.getAndDecrement() <= 0) {
      return;
    }
    String[] parts = path.substring(namespacePath.length()).split("/");
    String kind = switch (parts[0]) {
      case "instances" -> "Instance";
      case "snapshots" -> "Snapshot";
      case "machineimages" -> "MachineImage";
      default -> null;
    };
    if (kind == null) {
      return;
    }
    int n = injected.incrementAndGet();
    // A merge patch without a version: the edit itself never conflicts.
    admin.genericKubernetesResources("kiln.dev/v1alpha1", kind).inNamespace(path.split("/")[5]).withName(parts[1])
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"test.kiln.dev/edit\":\"" + n + "\"}}}");
  }

  /** How many conflicts were set up. */
  public int injected() {
    return injected.get();
  }
}
