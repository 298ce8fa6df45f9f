package dev.kiln.operator.support;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/** Creating objects under deterministic names: "already exists" is success, since a pass may run twice. */
public final class Creation {

  private Creation() {}

  public static void ignoringConflict(Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }
}
