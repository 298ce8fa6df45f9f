package dev.kiln.operator.apiserver;

import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client of every Kubernetes client in the operator (found through the client's service
 * loader, ahead of the plain Vert.x one): the same client, whose TLS connections offer
 * ChaCha20-Poly1305 first (see {@link CipherPreference} for why).
 */
public final class ApiServerClientFactory extends VertxHttpClientFactory {

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
    return 1;
  }
}
