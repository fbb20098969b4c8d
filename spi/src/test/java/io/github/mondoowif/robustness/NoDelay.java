package io.github.mondoowif.robustness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;

/**
 * MockWebServers whose accepted sockets set TCP_NODELAY. MockWebServer writes headers and body
 * separately; with Nagle's algorithm on, the body then waits for the client's delayed ACK, about 40 ms
 * per response. Suites that send hundreds of requests would spend seconds on that alone.
 */
final class NoDelay {
  private NoDelay() {}

  static MockWebServer server() {
    MockWebServer server = new MockWebServer();
    server.setServerSocketFactory(new Factory());
    return server;
  }

  private static final class Factory extends ServerSocketFactory {
    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new Accepting();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return bound(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return bound(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
      return bound(port, backlog, address);
    }

    private static ServerSocket bound(int port, int backlog, InetAddress address) throws IOException {
      ServerSocket s = new Accepting();
      s.bind(new java.net.InetSocketAddress(address, port), backlog);
      return s;
    }
  }

  private static final class Accepting extends ServerSocket {
    Accepting() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      Socket s = super.accept();
      s.setTcpNoDelay(true);
      return s;
    }
  }
}
