package io.github.mondoowif.examples.demo.sim;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers for the simulators' JDK {@code HttpServer} handlers. */
final class SimulatorHttp {
  private SimulatorHttp() {}

  static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(1 << 20);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static byte[] bodyBytes(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readNBytes(1 << 20);
    }
  }

  static void json(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A google.rpc.Status error, as Mondoo's API answers. */
  static void rpcError(HttpExchange exchange, int status, int code, String message) throws IOException {
    json(exchange, status, "{\"code\":" + code + ",\"message\":\"" + escape(message) + "\"}");
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
