package dev.kiln.operator.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testing.KilnTestCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiServerClientFactoryTest {

  @RegisterExtension
  static final KilnTestCluster cluster = KilnTestCluster.withoutOperator();

  @Test
  void everyKubernetesClientIsBuiltByTheOperatorsFactory() {
    assertInstanceOf(ApiServerClientFactory.class, HttpClientUtils.getHttpClientFactory());
    try (var client = new KubernetesClientBuilder().withConfig(cluster.client().getConfiguration()).build()) {
      assertEquals(cluster.namespace(), client.namespaces().withName(cluster.namespace()).get().getMetadata().getName(),
          "the client it builds reaches the API server");
    }
  }

  /** A tie would leave the choice to the class path's order, and the client warns of it at start-up. */
  @Test
  void outranksEveryOtherFactoryOnTheClassPath() throws Exception {
    for (HttpClient.Factory other : ServiceLoader.load(HttpClient.Factory.class)) {
      // Quarkus's factory starts a Vert.x of its own outside the application: stop it.
      try (AutoCloseable closing = other instanceof AutoCloseable closeable ? closeable : () -> { }) {
        if (!(other instanceof ApiServerClientFactory)) {
          assertTrue(other.priority() < ApiServerClientFactory.PRIORITY, other.getClass().getName() + ": " + other.priority());
        }
      }
    }
  }

  @Test
  void theApiServerAgreesToChacha20WhereItWouldPickAesGcm() throws Exception {
    SSLContext jdk = SSLUtils.sslContext(cluster.client().getConfiguration());
    assertEquals("TLS_CHACHA20_POLY1305_SHA256", negotiated(new CipherOrderedContext(jdk)));
    assertEquals("TLS_AES_128_GCM_SHA256", negotiated(jdk), "the HTTP client's TLS layer alone");
  }

  /** The suite a handshake with the API server settles on, through the TLS layer the HTTP client uses, set up as it is. */
  private static String negotiated(SSLContext context) throws Exception {
    Config config = cluster.client().getConfiguration();
    URI server = URI.create(config.getMasterUrl());
    JdkSslContext tls = new JdkSslContext(context, true, null, IdentityCipherSuiteFilter.INSTANCE,
        ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, null, false);
    NioEventLoopGroup loop = new NioEventLoopGroup(1);
    try {
      SslHandler handler = tls.newHandler(ByteBufAllocator.DEFAULT, server.getHost(), server.getPort());
      Channel channel = new Bootstrap().group(loop).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
              channel.pipeline().addLast(handler);
            }
          })
          .connect(server.getHost(), server.getPort()).sync().channel();
      handler.handshakeFuture().get(10, TimeUnit.SECONDS);
      String suite = handler.engine().getSession().getCipherSuite();
      channel.close().sync();
      return suite;
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
