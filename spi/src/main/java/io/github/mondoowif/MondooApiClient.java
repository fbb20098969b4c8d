package io.github.mondoowif;

import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.http.Bodies;
import io.github.mondoowif.internal.http.HttpClients;
import io.github.mondoowif.internal.http.MetadataCall;
import io.github.mondoowif.internal.http.RpcStatus;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.internal.time.Expiries;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A small client for Mondoo's two check endpoints: {@link #health()} ({@code Health/Check}, unauthenticated:
 * is the API there, and what time does it think it is?) and {@link #pingPong()}
 * ({@code AgentManager/PingPong}, signed: does the credential work?).
 *
 * <p>Calls go to the credential's {@code api_endpoint} when it names one, otherwise to the configuration's
 * universe domain. Thread-safe.
 */
public final class MondooApiClient {
  public static final String HEALTH_PATH = "/Health/Check";
  public static final String PING_PONG_PATH = "/AgentManager/PingPong";
  private static final MediaType JSON = MediaType.get("application/json");

  private final MondooRequestSigner.CredentialSource source;
  private final Supplier<Optional<MondooCredential>> current;
  private final String universeDomain;
  private final OkHttpClient plain;
  private final OkHttpClient signed;
  private volatile String warnedEndpoint;

  private MondooApiClient(Builder b) {
    this.source = b.source;
    this.current = b.current;
    this.universeDomain = trimSlashes(b.universeDomain);
    this.plain = HttpClients.sts(b.timeout);
    this.signed = b.source == null
        ? null
        : plain.newBuilder().addInterceptor(MondooRequestSigner.create(b.source, b.clock)).build();
  }

  /** A client that signs with the current credential of {@code credentials}. */
  public static MondooApiClient create(MondooCredentials credentials) {
    return builder().credentials(credentials).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The API base URL calls go to now: the current credential's {@code api_endpoint} when it is a usable
   * URL, else the universe domain.
   */
  public String endpoint() {
    return endpointFor(current.get().orElse(null));
  }

  private String endpointFor(MondooCredential credential) {
    String api = credential == null ? null : credential.apiEndpoint();
    if (api == null) {
      return universeDomain;
    }
    String trimmed = trimSlashes(api);
    if (!usable(trimmed)) {
      if (!api.equals(warnedEndpoint)) {
        warnedEndpoint = api; // once per bad value, not once per call
        Log.warn("the credential's api_endpoint " + api + " is not an https URL; using " + universeDomain);
      }
      return universeDomain;
    }
    return trimmed;
  }

  private static boolean usable(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return uri.getHost() != null
          && (scheme.equals("https") || (scheme.equals("http") && MondooWifConfig.isLoopback(uri.getHost())));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * {@code POST Health/Check}, unauthenticated.
   *
   * @throws MondooApiException when the API cannot be reached or answers other than 2xx with JSON
   */
  public Health health() throws MondooApiException {
    String url = endpoint() + HEALTH_PATH;
    String body = call(plain, url, "Health/Check");
    try {
      Map<String, Object> json = Json.parseObject(body);
      return new Health(text(json, "status"), Expiries.parse(json.get("time")), text(json, "time"),
          text(json, "version"), text(json, "apiVersion"), text(json, "build"));
    } catch (MalformedJsonException e) {
      throw new MondooApiException(url, 200, null, null,
          "Mondoo's Health/Check at " + url + " answered 200 with a body that is not JSON: " + e.getMessage()
              + ". Check that mondoo.wif.universe-domain names Mondoo's API", e);
    }
  }

  /**
   * {@code POST AgentManager/PingPong} with body {@code {}}, signed with the credential.
   *
   * @throws MondooApiException when Mondoo refuses the signed request or cannot be reached
   * @throws MondooWifException when no credential could be had
   * @throws IllegalStateException when this client was built without a credential
   */
  public void pingPong() throws MondooWifException {
    if (source == null) {
      throw new IllegalStateException("this MondooApiClient has no credential; build it with credentials(…) or credential(…)");
    }
    String url = endpointFor(source.credential()) + PING_PONG_PATH;
    call(signed, url, "AgentManager/PingPong");
  }

  private static String call(OkHttpClient http, String url, String what) throws MondooApiException {
    Request request = new Request.Builder()
        .url(url)
        .header("Accept", "application/json")
        .post(RequestBody.create("{}", JSON))
        .build();
    int status;
    String text;
    try (Response response = http.newCall(request).execute()) {
      status = response.code();
      text = Bodies.readUtf8(response, Bodies.MAX_BYTES);
    } catch (IOException e) {
      if (e.getCause() instanceof MondooWifException && !(e instanceof InterruptedIOException)) {
        // The signer could not get a credential: that failure is the real story.
        MondooWifException cause = (MondooWifException) e.getCause();
        throw new MondooApiException(url, 0, null, null,
            "cannot call Mondoo's " + what + " at " + url + ": " + cause.getMessage(), cause);
      }
      throw new MondooApiException(url, 0, null, null,
          "Mondoo's " + what + " at " + url + (e instanceof InterruptedIOException ? " timed out: " : " could not be reached: ")
              + MetadataCall.describeIo(e) + ". Check network access to " + url, e);
    }
    if (status >= 200 && status < 300) {
      return text;
    }
    RpcStatus rpc = RpcStatus.parse(text);
    StringBuilder sb = new StringBuilder("Mondoo's ").append(what).append(" at ").append(url)
        .append(" answered HTTP ").append(status);
    if (rpc.code != null) {
      sb.append(", code ").append(rpc.code);
    }
    if (rpc.message != null) {
      sb.append(rpc.structured ? ", message \"" : ", body: \"").append(rpc.message).append('"');
    }
    String hint = hint(status);
    if (hint != null) {
      sb.append(". Likely cause: ").append(hint);
    }
    throw new MondooApiException(url, status, rpc.code, rpc.message, sb.toString(), null);
  }

  private static String hint(int status) {
    if (status == 401) {
      return "Mondoo did not accept the signed request: the credential was revoked or its service account deleted, "
          + "or this host's clock is off (each signature is valid for 60 s)";
    }
    if (status == 403) {
      return "the service account is not allowed to do this";
    }
    if (status == 404) {
      return "no such endpoint: check mondoo.wif.universe-domain and the credential's api_endpoint";
    }
    if (status == 429 || status >= 500) {
      return "Mondoo's API is unavailable or throttling; try again later";
    }
    return null;
  }

  private static String text(Map<String, Object> json, String key) {
    Object v = json.get(key);
    return v == null || v instanceof Map || v instanceof java.util.List ? null : String.valueOf(v);
  }

  private static String trimSlashes(String s) {
    String r = s.trim();
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  @Override
  public String toString() {
    return "MondooApiClient{endpoint=" + endpoint() + ", signed=" + (source != null) + "}";
  }

  /** What {@code Health/Check} said. Fields Mondoo did not send are {@code null}. */
  public static final class Health {
    private final String status;
    private final Instant time;
    private final String timeText;
    private final String version;
    private final String apiVersion;
    private final String build;

    Health(String status, Instant time, String timeText, String version, String apiVersion, String build) {
      this.status = status;
      this.time = time;
      this.timeText = timeText;
      this.version = version;
      this.apiVersion = apiVersion;
      this.build = build;
    }

    /** {@code SERVING} when all is well. */
    public String status() {
      return status;
    }

    /** The server's clock, or {@code null} when absent or unparseable. */
    public Instant time() {
      return time;
    }

    /** The server's clock as sent. */
    public String timeText() {
      return timeText;
    }

    public String version() {
      return version;
    }

    public String apiVersion() {
      return apiVersion;
    }

    public String build() {
      return build;
    }

    /** How far the server's clock is ahead of {@code localNow}; {@code null} when the server sent no time. */
    public Duration clockOffset(Instant localNow) {
      return time == null ? null : Duration.between(localNow, time);
    }

    @Override
    public String toString() {
      return "Health{status=" + status + ", time=" + timeText + ", version=" + version + ", apiVersion=" + apiVersion
          + ", build=" + build + "}";
    }
  }

  /** Builds a {@link MondooApiClient}. Each option may be set once. */
  public static final class Builder {
    private MondooRequestSigner.CredentialSource source;
    private Supplier<Optional<MondooCredential>> current = Optional::empty;
    private String sourceDescription;
    private String universeDomain;
    private String configUniverseDomain;
    private Clock clock;
    private Duration timeout;
    private Duration configTimeout;

    private Builder() {}

    /** Sign with the current credential of {@code credentials}; its configuration supplies the defaults. */
    public Builder credentials(MondooCredentials credentials) {
      Objects.requireNonNull(credentials, "credentials");
      setSource("credentials(" + credentials.config().audience() + ")");
      this.source = credentials::credential;
      this.current = credentials::peek;
      this.configUniverseDomain = credentials.config().universeDomain();
      this.configTimeout = credentials.config().requestTimeout();
      return this;
    }

    /** Sign with exactly this credential. */
    public Builder credential(MondooCredential credential) {
      Objects.requireNonNull(credential, "credential");
      setSource("credential(" + credential.mrn() + ")");
      this.source = () -> credential;
      this.current = () -> Optional.of(credential);
      return this;
    }

    private void setSource(String description) {
      if (sourceDescription != null) {
        throw new IllegalStateException("the credential source was already set to " + sourceDescription);
      }
      sourceDescription = description;
    }

    /**
     * Where calls go when the credential names no {@code api_endpoint}, e.g. {@code https://us.api.mondoo.com};
     * by default the configuration's universe domain.
     */
    public Builder universeDomain(String universeDomain) {
      Objects.requireNonNull(universeDomain, "universeDomain");
      if (this.universeDomain != null) {
        throw new IllegalStateException("universeDomain was already set to " + this.universeDomain);
      }
      if (!usable(trimSlashes(universeDomain))) {
        throw new IllegalArgumentException(
            "universeDomain must be an https URL (http only for loopback) but was \"" + universeDomain + "\"");
      }
      this.universeDomain = universeDomain;
      return this;
    }

    /** The clock signatures are dated by; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set to " + this.clock);
      }
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The bound on one call; by default the configuration's request timeout, or 10 s. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (this.timeout != null) {
        throw new IllegalStateException("timeout was already set to " + this.timeout);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public MondooApiClient build() {
      if (universeDomain == null) {
        universeDomain = configUniverseDomain;
      }
      if (universeDomain == null) {
        throw new IllegalStateException(
            "universeDomain is required: MondooApiClient.builder().universeDomain(\"https://us.api.mondoo.com\") "
                + "or .credentials(MondooCredentials)");
      }
      if (clock == null) {
        clock = Clock.systemUTC();
      }
      if (timeout == null) {
        timeout = configTimeout != null ? configTimeout : Duration.ofSeconds(10);
      }
      return new MondooApiClient(this);
    }
  }
}
