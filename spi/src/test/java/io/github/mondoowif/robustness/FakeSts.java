package io.github.mondoowif.robustness;

import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.sts.StsClient;
import io.github.mondoowif.testing.FakeMondoo;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Mondoo's Secure Token Service on a MockWebServer. By default it issues a real credential (P-384 key,
 * X.509 certificate) valid for {@link #lifetime} from its own clock, which may differ from the host's.
 * Every request is recorded with the time it arrived and what it was answered; every credential and the
 * private key are planted with {@link Witness}.
 */
final class FakeSts {
  final MockWebServer server;
  private final Clock clock;
  private final KeyPair keys = FakeMondoo.p384();
  private final List<Hit> hits = new ArrayList<>();
  private volatile Function<RecordedRequest, MockResponse> behaviour = r -> issue();
  volatile Duration lifetime = Duration.ofHours(1);

  /** One request as the STS saw it. */
  static final class Hit {
    final Instant at;
    final int status;
    final String jwtToken;
    final String path;

    Hit(Instant at, int status, String jwtToken, String path) {
      this.at = at;
      this.status = status;
      this.jwtToken = jwtToken;
      this.path = path;
    }

    @Override
    public String toString() {
      return at + " → " + status;
    }
  }

  FakeSts(MockWebServer server, Clock clock) {
    this.server = server;
    this.clock = clock;
    Witness.plant(Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = behaviour.apply(request);
        String jwt = null;
        try {
          jwt = Json.string(Json.parseObject(request.getBody().utf8()), "jwt_token");
        } catch (Exception e) {
          // recorded as null: the assertion on it will say so
        }
        synchronized (hits) {
          hits.add(new Hit(clock.instant(), response.getCode(), jwt, request.getUrl().encodedPath()));
        }
        return response;
      }
    });
  }

  String universe() {
    return server.url("/").toString();
  }

  /** From now on, answer every request with {@code f}. */
  FakeSts answer(Function<RecordedRequest, MockResponse> f) {
    this.behaviour = f;
    return this;
  }

  FakeSts answer(MockResponse always) {
    return answer(r -> always);
  }

  /** Back to issuing credentials. */
  FakeSts healthy() {
    return answer(r -> issue());
  }

  /** A 200 with a new credential valid from now for {@link #lifetime}. */
  MockResponse issue() {
    Instant now = clock.instant();
    return ok(credential(now.minusSeconds(60), now.plus(lifetime)));
  }

  /** A planted {@code base64_credential} whose certificate is valid from {@code notBefore} to {@code notAfter}. */
  String credential(Instant notBefore, Instant notAfter) {
    String cert = FakeMondoo.certificatePem(keys, "mondoo-test", notBefore, notAfter);
    return planted(FakeMondoo.serviceAccountJson(keys, cert));
  }

  /**
   * {@code json} as a planted base64 credential. The JSON itself is not planted: its mrn and scope are meant
   * to be shown; the private key inside it is planted by whoever made the key.
   */
  static String planted(String json) {
    return Witness.plant(FakeMondoo.base64(json));
  }

  static MockResponse ok(String base64Credential) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body(FakeMondoo.stsResponse(base64Credential)).build();
  }

  /** A google.rpc error as Mondoo's server framework sends it. */
  static MockResponse rpcError(int status, int code, String message) {
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
        .body(Json.write(Map.of("code", (long) code, "message", message))).build();
  }

  int count() {
    synchronized (hits) {
      return hits.size();
    }
  }

  List<Hit> hits() {
    synchronized (hits) {
      return new ArrayList<>(hits);
    }
  }

  /** Every request went to the exchange path. */
  boolean allAtExchangePath() {
    return hits().stream().allMatch(h -> h.path.equals(StsClient.PATH));
  }
}
