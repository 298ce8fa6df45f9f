package dev.kiln.operator.apiserver;

import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client of every Kubernetes client in the operator (found through the client's service
 * loader): the plain Vert.x client, each with a Vert.x of its own, whose TLS connections offer
 * ChaCha20-Poly1305 first (see {@link CipherPreference} for why). Its own Vert.x keeps a client's
 * connections off the event loops of the application's HTTP server, and away from whatever else in
 * the process shares them.
 */
public final class ApiServerClientFactory extends VertxHttpClientFactory {

  /** Above Quarkus's own factory, so that the choice is ours and not the class path's order. */
  static final int PRIORITY = 2;

  @Override
  public VertxHttpClientBuilder<VertxHttpClientFactory> newBuilder() {
    return new VertxHttpClientBuilder<>(this, null) {
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
}
