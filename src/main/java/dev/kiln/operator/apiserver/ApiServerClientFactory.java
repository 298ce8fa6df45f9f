package dev.kiln.operator.apiserver;

import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.spi.CDI;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client of every Kubernetes client in the operator (found through the client's service
 * loader): the client Quarkus would give it, on the application's Vert.x, whose TLS connections
 * offer ChaCha20-Poly1305 first (see {@link CipherPreference} for why).
 */
public final class ApiServerClientFactory extends VertxHttpClientFactory {

  /** Above Quarkus's own factory, so that the choice is ours and not the class path's order. */
  static final int PRIORITY = 2;

  private final Vertx vertx = applicationVertx();

  @Override
  public VertxHttpClientBuilder<VertxHttpClientFactory> newBuilder() {
    return new VertxHttpClientBuilder<>(this, vertx) {
      @Override
      public VertxHttpClientBuilder<VertxHttpClientFactory> sslContext(KeyManager[] keys, TrustManager[] trust) {
        super.sslContext(keys, trust);
        sslContext = new CipherOrderedContext(sslContext);
        return this;
      }
    };
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * The application's Vert.x, which its clients share as Quarkus's own do; none outside the
   * application (a tool or test building a client), where each client starts and closes its own.
   */
  private static Vertx applicationVertx() {
    try {
      return CDI.current().select(Vertx.class).get();
    } catch (RuntimeException noApplication) {
      return null;
    }
  }
}
