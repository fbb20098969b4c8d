package io.github.mondoowif.foundation;

import io.github.mondoowif.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mondoowif.CredentialUnavailableException;
import io.github.mondoowif.ConfigException;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifConfig;
import io.github.mondoowif.NoProviderException;
import io.github.mondoowif.internal.ProviderRuntime;
import io.github.mondoowif.internal.discovery.ProviderRegistry;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import io.github.mondoowif.spi.SubjectToken;
import io.github.mondoowif.spi.TokenSourceException;
import io.github.mondoowif.testing.FakeMondoo;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderDiscoveryTest {
  static final String P = ProviderDiscoveryTest.class.getName() + "$";
  static final List<String> SERVICES = List.of(
      "# providers for this test only; the built-in ones come from the parent loader",
      P + "Gamma",
      P + "Alpha",
      P + "ThrowingConstructor",
      "io.github.mondoowif.foundation.DoesNotExist",
      P + "NotAProvider",
      P + "NameThrows",
      P + "AlphaImpostor",
      P + "Beta",
      P + "ApplicabilityThrows",
      P + "StaticInitFails",
      P + "LinkageBroken",
      P + "BlankName");

  @TempDir Path dir;
  @StartStop final MockWebServer sts = new MockWebServer();
  URLClassLoader loader;
  String closedUrl;

  @BeforeEach
  void loader() throws Exception {
    Path services = dir.resolve("META-INF/services/" + CredentialProvider.class.getName());
    Files.createDirectories(services.getParent());
    Files.write(services, SERVICES, StandardCharsets.UTF_8);
    loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ProviderDiscoveryTest.class.getClassLoader());
    MockWebServer closed = new MockWebServer();
    closed.start();
    closedUrl = closed.url("/").toString();
    closed.close();
  }

  @AfterEach
  void close() throws Exception {
    loader.close();
  }

  private ProviderRuntime runtime(String source, Map<String, String> extraEnv) throws ConfigException {
    Map<String, String> env = new HashMap<>(extraEnv);
    // Built-in providers that probe must only ever reach a closed loopback port: IMDS through this, GCP
    // through the build's mondoo.wif.internal.gcp-default-host.
    env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", closedUrl);
    MondooWifConfig config = MondooWifConfig.builder().audience(FakeMondoo.SPACE).source(source).build();
    return ProviderRuntime.builder(config).env(env).build();
  }

  private static List<String> names(ProviderRegistry r) {
    return r.providers().stream().map(CredentialProvider::name).collect(Collectors.toList());
  }

  @Test
  void load_validProviders_areOrderedByPriorityThenName() {
    ProviderRegistry r = ProviderRegistry.load(loader);

    // The test providers have negative priorities, ahead of every built-in one (10 to 1000).
    assertThat(names(r).subList(0, 4)).containsExactly("gamma", "explodes", "alpha", "beta");
    assertThat(names(r).subList(4, names(r).size())).contains("azure-cloud-shell", "azure-imds");
    assertThat(r.providers()).extracting(CredentialProvider::priority).isSorted();
  }

  @Test
  void load_brokenProviders_areSkippedAndEachReportedByClassName() {
    ProviderRegistry r = ProviderRegistry.load(loader);

    assertThat(r.problems()).hasSize(8);
    assertThat(String.join("\n", r.problems())).contains(
        P + "ThrowingConstructor could not be instantiated", "constructor exploded",
        "io.github.mondoowif.foundation.DoesNotExist not found",
        P + "NotAProvider not a subtype",
        P + "NameThrows: name() or priority() threw UnsupportedOperationException: no name",
        P + "AlphaImpostor: another provider is already named \"alpha\"; kept the first",
        P + "StaticInitFails could not be instantiated",
        P + "LinkageBroken: name() or priority() threw NoClassDefFoundError: com/example/Missing",
        P + "BlankName: name() is blank");
  }

  @Test
  void load_duplicateName_keepsTheFirstLoaded() {
    ProviderRegistry r = ProviderRegistry.load(loader);

    assertThat(r.providers()).filteredOn(p -> p.name().equals("alpha")).singleElement().isInstanceOf(Alpha.class);
  }

  @Test
  void load_problems_areLoggedAsWarnings() {
    try (LogCapture log = new LogCapture()) {
      ProviderRegistry.load(loader);

      assertThat(log.records()).filteredOn(r -> r.getLevel() == java.util.logging.Level.WARNING)
          .extracting(java.util.logging.LogRecord::getMessage)
          .anySatisfy(m -> assertThat(m).startsWith("credential provider skipped: ").contains("NameThrows"))
          .hasSize(8);
    }
  }

  @Test
  void load_threadContextLoader_isTheSecondLook() {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      ProviderRegistry r = ProviderRegistry.load(ProviderRegistry.class.getClassLoader());

      assertThat(names(r)).contains("alpha", "beta", "gamma", "azure-imds");
      assertThat(names(r)).doesNotHaveDuplicates();
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  @Test
  void select_sourceNamesAProvider_returnsItWithoutAskingApplicability() throws Exception {
    CredentialProvider p = ProviderRegistry.load(loader).select(runtime("explodes", Map.of()));

    assertThat(p).isInstanceOf(ApplicabilityThrows.class);
  }

  @Test
  void select_sourceNamesANotApplicableProvider_stillReturnsIt() throws Exception {
    CredentialProvider p = ProviderRegistry.load(loader).select(runtime("beta", Map.of("ALPHA", "1")));

    assertThat(p).isInstanceOf(Beta.class);
  }

  @Test
  void select_sourceNamesNoProvider_failsListingWhatIsAvailableAndWhatFailedToLoad() throws Exception {
    ProviderRuntime rt = runtime("no-such-source", Map.of());

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ProviderRegistry.load(loader).select(rt));

    assertThat(e.key()).isEqualTo("source");
    assertThat(e.getMessage()).contains("\"no-such-source\"", "(from builder)", "available: [gamma, explodes, alpha, beta, ",
        "azure-imds", "not loaded", "DoesNotExist");
  }

  @Test
  void select_auto_picksTheFirstApplicableInOrder() throws Exception {
    CredentialProvider p = ProviderRegistry.load(loader).select(runtime("auto", Map.of("BETA", "1", "ALPHA", "1")));

    assertThat(p).isInstanceOf(Alpha.class);
  }

  @Test
  void select_auto_aProviderWhoseApplicabilityThrowsIsSkippedAsBroken() throws Exception {
    ProviderRegistry r = ProviderRegistry.load(loader);

    CredentialProvider p = r.select(runtime("auto", Map.of("BETA", "1")));
    Map<CredentialProvider, Applicability> survey = r.survey(runtime("auto", Map.of("BETA", "1")));

    assertThat(p).isInstanceOf(Beta.class);
    assertThat(survey.entrySet()).filteredOn(en -> en.getKey().name().equals("explodes")).singleElement()
        .satisfies(en -> assertThat(en.getValue().reason()).contains("broken: applicability() threw", "probe bug"));
  }

  @Test
  void select_autoNothingApplies_messageListsEveryProviderAndEveryLoadProblem() throws Exception {
    ProviderRuntime rt = runtime("auto", Map.of());
    ProviderRegistry r = ProviderRegistry.load(loader);

    NoProviderException e = catchThrowableOfType(NoProviderException.class, () -> r.select(rt));

    assertThat(e.reasons()).hasSize(r.providers().size() + 8);
    for (CredentialProvider p : r.providers()) {
      assertThat(e.getMessage()).contains("\n  - " + p.name() + ": ");
    }
    assertThat(e.getMessage()).contains(
        "asked " + r.providers().size() + " providers",
        "  - gamma: GAMMA is not set",
        "  - explodes: broken: applicability() threw",
        "  - alpha: ALPHA is not set",
        "  - beta: BETA is not set",
        "  - azure-cloud-shell: MSI_ENDPOINT is not set",
        "  - azure-imds: no IMDS at " + closedUrl.substring(0, closedUrl.length() - 1),
        "  - (not loaded) ", "DoesNotExist not found",
        "mondoo.wif.source");
  }

  @Test
  void credential_selectedProviderFails_neverFallsThroughToAnotherProvider() throws Exception {
    AtomicInteger otherFetches = new AtomicInteger();
    CredentialProvider failing = new Fixed("failing", 1, () -> {
      throw new TokenSourceException("failing", "http://127.0.0.1:1/token", 503, true, "endpoint down", null);
    });
    CredentialProvider other = new Fixed("other", 2, () -> {
      otherFetches.incrementAndGet();
      return SubjectToken.of("other-token", null);
    });
    MondooWifConfig config = MondooWifConfig.builder().audience(FakeMondoo.SPACE).issuer(FakeMondoo.ISSUER)
        .universeDomain(sts.url("/").toString()).build();

    try (MondooCredentials credentials = MondooCredentials.builder().config(config).environment(Map.of())
        .providers(List.of(other, failing)).build()) {
      TokenSourceException first = unwrap(TokenSourceException.class, catchThrowableOfType(CredentialUnavailableException.class, credentials::credential));
      TokenSourceException second = unwrap(TokenSourceException.class, catchThrowableOfType(CredentialUnavailableException.class, credentials::credential));

      assertThat(first.source()).isEqualTo("failing");
      assertThat(second.source()).isEqualTo("failing");
      assertThat(credentials.providerName()).isEqualTo("failing");
    }
    assertThat(otherFetches).hasValue(0);
    assertThat(sts.getRequestCount()).isZero();
  }

  // --- providers for the services file above; public with public constructors, as ServiceLoader needs ---

  interface Fetch {
    SubjectToken fetch() throws TokenSourceException;
  }

  /** Always applicable; fetches with the given function. */
  static final class Fixed implements CredentialProvider {
    private final String name;
    private final int priority;
    private final Fetch fetch;

    Fixed(String name, int priority, Fetch fetch) {
      this.name = name;
      this.priority = priority;
      this.fetch = fetch;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public Applicability applicability(ProviderContext context) {
      return Applicability.applicable("always");
    }

    @Override
    public SubjectToken fetchToken(ProviderContext context) throws TokenSourceException {
      return fetch.fetch();
    }
  }

  /** Applicable when the environment variable {@code envVar} is set. */
  public abstract static class EnvProvider implements CredentialProvider {
    private final String name;
    private final int priority;
    private final String envVar;

    EnvProvider(String name, int priority, String envVar) {
      this.name = name;
      this.priority = priority;
      this.envVar = envVar;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public Applicability applicability(ProviderContext context) {
      return context.env(envVar) != null
          ? Applicability.applicable(envVar + " is set")
          : Applicability.notApplicable(envVar + " is not set");
    }

    @Override
    public SubjectToken fetchToken(ProviderContext context) {
      return SubjectToken.of("token-of-" + name, null);
    }
  }

  public static final class Alpha extends EnvProvider {
    public Alpha() {
      super("alpha", -20, "ALPHA");
    }
  }

  public static final class Beta extends EnvProvider {
    public Beta() {
      super("beta", -20, "BETA");
    }
  }

  public static final class Gamma extends EnvProvider {
    public Gamma() {
      super("gamma", -30, "GAMMA");
    }
  }

  /** Same name as {@link Alpha}, listed later, with a better priority: must still lose. */
  public static final class AlphaImpostor extends EnvProvider {
    public AlphaImpostor() {
      super("alpha", -100, "ALPHA");
    }
  }

  public static final class ThrowingConstructor extends EnvProvider {
    public ThrowingConstructor() {
      super("throwing", 10, "X");
      throw new IllegalStateException("constructor exploded");
    }
  }

  public static final class NotAProvider {
    public NotAProvider() {}
  }

  public static final class NameThrows extends EnvProvider {
    public NameThrows() {
      super("unused", 10, "X");
    }

    @Override
    public String name() {
      throw new UnsupportedOperationException("no name");
    }
  }

  public static final class BlankName extends EnvProvider {
    public BlankName() {
      super(" ", 10, "X");
    }
  }

  public static final class LinkageBroken extends EnvProvider {
    public LinkageBroken() {
      super("unused", 10, "X");
    }

    @Override
    public String name() {
      throw new NoClassDefFoundError("com/example/Missing");
    }
  }

  public static final class StaticInitFails extends EnvProvider {
    static final int VALUE = fail();

    public StaticInitFails() {
      super("static", 10, "X");
    }

    private static int fail() {
      throw new IllegalStateException("static initialiser exploded");
    }
  }

  public static final class ApplicabilityThrows extends EnvProvider {
    public ApplicabilityThrows() {
      super("explodes", -25, "X");
    }

    @Override
    public Applicability applicability(ProviderContext context) {
      throw new IllegalStateException("probe bug");
    }
  }
  /** The facade wraps every failure in CredentialUnavailableException; the cause is what went wrong. */
  private static <T extends Throwable> T unwrap(Class<T> type, CredentialUnavailableException e) {
    assertThat(e).as("credential() should fail").isNotNull();
    assertThat(e.getCause()).isInstanceOf(type);
    assertThat(e.getMessage()).contains(e.getCause().getMessage());
    return type.cast(e.getCause());
  }
}
