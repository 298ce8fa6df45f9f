package dev.kiln.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed local address in front of the API server: it passes TCP (TLS and all) through to whichever
 * port the API server listens on now. Clients keep their address when the API server restarts on a
 * new port, as they keep a cluster's address when its API server restarts; every connection open at
 * the restart is cut, as the restart would cut it.
 */
final class ApiServerFront implements AutoCloseable {

  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile int target;

  ApiServerFront(int target) {
    this.target = target;
    try {
      listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen in front of the API server", e);
    }
    Thread acceptor = new Thread(this::accept, "api-server-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on connections go to {@code port}; the ones open now are cut. */
  void retarget(int port) {
    target = port;
    cutAll();
  }

  /** Cuts every open connection, as a stopping API server does. */
  void cutAll() {
    open.forEach(ApiServerFront::closeQuietly);
    open.clear();
  }

  @Override
  public void close() {
    closeQuietly(listener);
    cutAll();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket server;
      try {
        server = new Socket(InetAddress.getLoopbackAddress(), target);
      } catch (IOException e) {
        closeQuietly(client); // nothing listens: the client sees the API server down
        continue;
      }
      open.add(client);
      open.add(server);
      pipe(client, server);
      pipe(server, client);
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int read; (read = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException e) {
        // a side closed: close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "api-server-front-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }
}
