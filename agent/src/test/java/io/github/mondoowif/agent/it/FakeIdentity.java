package io.github.mondoowif.agent.it;

import io.github.mondoowif.testing.FakeMondoo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Loopback fakes of what a workload talks to: Azure Cloud Shell's managed-identity endpoint
 * ({@code MSI_ENDPOINT}) and Mondoo's STS. The STS issues a fresh, real credential per exchange (P-384 key,
 * X.509 certificate that expires after {@link #lifetime}) and remembers each one, so tests can compare what
 * a child JVM saw with what was issued.
 */
final class FakeIdentity implements AutoCloseable {
  static final String RESOURCE = "https://management.azure.com/";

  final MockWebServer azure = new MockWebServer();
  final MockWebServer sts = new MockWebServer();
  final String azureToken = FakeMondoo.azureToken(RESOURCE, Instant.now().plus(1, ChronoUnit.DAYS));
  final List<String> issued = new CopyOnWriteArrayList<>();
  final List<Instant> expiries = new CopyOnWriteArrayList<>();
  final AtomicInteger exchanges = new AtomicInteger();
  volatile Duration lifetime = Duration.ofHours(1);
  /** Overrides the STS's answer for exchange number n (1-based); null means "issue a credential". */
  volatile IntFunction<MockResponse> stsOverride = n -> null;
  /** How long the STS takes to answer exchange number n (1-based). */
  volatile IntFunction<Duration> stsDelay = n -> Duration.ZERO;

  FakeIdentity() throws IOException {
    azure.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (!"POST".equals(request.getMethod()) || !request.getUrl().encodedPath().equals("/oauth2/token")) {
          return new MockResponse.Builder().code(404).build();
        }
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body(FakeMondoo.imdsResponse(azureToken, RESOURCE, Instant.now().plus(1, ChronoUnit.DAYS))).build();
      }
    });
    sts.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (!"POST".equals(request.getMethod())
            || !request.getUrl().encodedPath().equals("/SecureTokenService/ExchangeExternalToken")) {
          return new MockResponse.Builder().code(404).build();
        }
        int n = exchanges.incrementAndGet();
        MockResponse override = stsOverride.apply(n);
        Duration delay = stsDelay.apply(n);
        if (override != null) {
          return delay.isZero() ? override : slow(override, delay);
        }
        Instant notAfter = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        String credential = FakeMondoo.base64Credential(notAfter);
        issued.add(credential);
        expiries.add(notAfter);
        MockResponse ok = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body(FakeMondoo.stsResponse(credential)).build();
        return delay.isZero() ? ok : slow(ok, delay);
      }
    });
    azure.start();
    sts.start();
  }

  String msiEndpoint() {
    return azure.url("/oauth2/token").toString();
  }

  String universeDomain() {
    return "http://127.0.0.1:" + sts.getPort();
  }

  /** The agent arguments that point the agent at these fakes. */
  String agentArgs(String... extra) {
    StringBuilder sb = new StringBuilder("audience=" + FakeMondoo.SPACE + ",issuer=" + FakeMondoo.ISSUER
        + ",universe-domain=" + universeDomain());
    for (String e : extra) {
      sb.append(',').append(e);
    }
    return sb.toString();
  }

  static MockResponse error(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  static MockResponse slow(MockResponse response, Duration delay) {
    return response.newBuilder().headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS).build();
  }

  @Override
  public void close() {
    azure.close();
    sts.close();
  }
}
