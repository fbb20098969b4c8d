package io.github.mondoowif.robustness;

import io.github.mondoowif.testing.FakeMondoo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A metadata endpoint on a MockWebServer (App Service's identity endpoint by default), answering with a
 * behaviour the test switches and recording every request with the fake time it arrived.
 */
final class FakeEndpoint {
  static final String PATH = "/msi/token";

  final MockWebServer server;
  private final Clock clock;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final List<Instant> times = new ArrayList<>();
  private volatile Function<RecordedRequest, MockResponse> behaviour;

  FakeEndpoint(MockWebServer server, Clock clock) {
    this.server = server;
    this.clock = clock;
    this.behaviour = r -> azureToken(Planted.AZURE_JWT);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        synchronized (requests) {
          requests.add(request);
          times.add(clock.instant());
        }
        return behaviour.apply(request);
      }
    });
  }

  FakeEndpoint answer(Function<RecordedRequest, MockResponse> f) {
    this.behaviour = f;
    return this;
  }

  FakeEndpoint answer(MockResponse always) {
    return answer(r -> always);
  }

  String url() {
    return server.url(PATH).toString();
  }

  int count() {
    synchronized (requests) {
      return requests.size();
    }
  }

  List<RecordedRequest> requests() {
    synchronized (requests) {
      return new ArrayList<>(requests);
    }
  }

  List<Instant> times() {
    synchronized (requests) {
      return new ArrayList<>(times);
    }
  }

  /** The string-typed token JSON of IMDS and App Service, expiring with the token. */
  static MockResponse azureToken(String jwt) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body(FakeMondoo.imdsResponse(jwt, Planted.RESOURCE, Planted.T0.plus(Duration.ofDays(1)))).build();
  }

  static MockResponse status(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }
}
