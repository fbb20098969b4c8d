package io.github.mondoowif;

import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.ConfigKeys.Key;
import io.github.mondoowif.internal.Log;
import io.github.mondoowif.internal.json.Json;
import io.github.mondoowif.internal.json.MalformedJsonException;
import io.github.mondoowif.internal.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one keyless Mondoo configuration: which space (audience), which issuer, which Mondoo
 * region, which identity source. Immutable and thread-safe.
 *
 * <p>Build one in code with {@link #builder()}, or {@link #load()} it from, lowest precedence first: the
 * WIF JSON file the Mondoo console hands out ({@code mondoo.wif.config} / {@code MONDOO_WIF_CONFIG}, or
 * {@code MONDOO_CONFIG_PATH} when that file has {@code "type":"external_account"}), environment variables
 * {@code MONDOO_WIF_*}, then system properties {@code mondoo.wif.*}. Every value remembers where it came
 * from, so errors and {@code doctor} can say "set by environment MONDOO_WIF_ISSUER".
 *
 * <p>Keys are the {@code mondoo.wif.*} names without the prefix, e.g. {@code audience},
 * {@code azure.client-id}. {@link #setting(String)} reads any of them, including ones this class has no
 * typed accessor for.
 */
public final class MondooWifConfig {
  static final String DEFAULT_ORIGIN = "default";
  private static final int MAX_FILE_BYTES = 1 << 20;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  /**
   * The longest duration any setting may have. OkHttp refuses timeouts above 2^31 ms (24.8 days), and far
   * larger values overflow {@code Duration.toNanos()} and {@code Instant.plus}: refused here, with the key
   * named, rather than later inside {@code MondooCredentials.build()} or the first exchange.
   */
  static final Duration MAX_DURATION = Duration.ofDays(24);

  private final Map<String, String> values;
  private final Map<String, String> origins;
  private final String universeDomain;
  private final Duration credentialLifetime;
  private final Duration requestTimeout;

  private MondooWifConfig(Map<String, String> values, Map<String, String> origins) throws ConfigException {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    for (Map.Entry<String, String> e : this.values.entrySet()) {
      validate(e.getKey(), e.getValue());
    }
    if (blank(values.get(ConfigKeys.AUDIENCE))) {
      throw new ConfigException(
          ConfigKeys.AUDIENCE,
          "mondoo.wif.audience is required and not set: set the system property mondoo.wif.audience, "
              + "the environment variable MONDOO_WIF_AUDIENCE, or name the WIF file from the Mondoo console "
              + "with mondoo.wif.config (its \"audience\", e.g. //captain.api.mondoo.app/spaces/<space-id>)");
    }
    this.universeDomain = normaliseUniverse(value(ConfigKeys.UNIVERSE_DOMAIN));
    this.credentialLifetime = duration(ConfigKeys.CREDENTIAL_LIFETIME);
    this.requestTimeout = duration(ConfigKeys.REQUEST_TIMEOUT);
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder(Map.of(), Map.of());
  }

  /** A builder that starts from this configuration; each value may be replaced once. */
  public Builder newBuilder() {
    return new Builder(values, origins);
  }

  /**
   * Loads the configuration from the process environment and system properties (and the WIF file they
   * name).
   */
  public static MondooWifConfig load() throws ConfigException {
    return load(System.getenv(), propertiesOf(System.getProperties()), Map.of(), "override");
  }

  /**
   * Loads from the given environment and system properties, with {@code overrides} on top (the agent's
   * arguments, say). Keys of {@code overrides} are {@code mondoo.wif.*} names without the prefix.
   *
   * @param overridesOrigin how to describe where overrides came from, e.g. {@code "agent argument"}
   */
  public static MondooWifConfig load(
      Map<String, String> env,
      Map<String, String> systemProperties,
      Map<String, String> overrides,
      String overridesOrigin)
      throws ConfigException {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();

    Map<String, String> fromEnv = new LinkedHashMap<>();
    for (Key k : ConfigKeys.all().values()) {
      String v = env.get(k.env());
      if (!blank(v)) {
        fromEnv.put(k.name, v.trim());
      }
    }
    Map<String, String> fromProps = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : systemProperties.entrySet()) {
      if (e.getKey().startsWith(ConfigKeys.PREFIX) && !blank(e.getValue())) {
        fromProps.put(e.getKey().substring(ConfigKeys.PREFIX.length()), e.getValue().trim());
      }
    }

    // The file is named by the higher layers, so find its name first.
    String fileKeyOrigin = null;
    String file = null;
    if (!blank(overrides.get(ConfigKeys.CONFIG))) { // a blank override is unset, as in the loop below
      file = overrides.get(ConfigKeys.CONFIG);
      fileKeyOrigin = overridesOrigin + " " + ConfigKeys.CONFIG;
    } else if (fromProps.containsKey(ConfigKeys.CONFIG)) {
      file = fromProps.get(ConfigKeys.CONFIG);
      fileKeyOrigin = "system property " + ConfigKeys.PREFIX + ConfigKeys.CONFIG;
    } else if (fromEnv.containsKey(ConfigKeys.CONFIG)) {
      file = fromEnv.get(ConfigKeys.CONFIG);
      fileKeyOrigin = "environment " + ConfigKeys.envName(ConfigKeys.CONFIG);
    }
    if (file != null) {
      readWifFile(Paths.get(file), fileKeyOrigin, true, values, origins);
    } else if (!blank(env.get("MONDOO_CONFIG_PATH"))) {
      readWifFile(Paths.get(env.get("MONDOO_CONFIG_PATH").trim()), "environment MONDOO_CONFIG_PATH", false, values, origins);
    }

    for (Map.Entry<String, String> e : fromEnv.entrySet()) {
      values.put(e.getKey(), e.getValue());
      origins.put(e.getKey(), "environment " + ConfigKeys.envName(e.getKey()));
    }
    for (Map.Entry<String, String> e : fromProps.entrySet()) {
      values.put(e.getKey(), e.getValue());
      origins.put(e.getKey(), "system property " + ConfigKeys.PREFIX + e.getKey());
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (!blank(e.getValue())) {
        values.put(e.getKey(), e.getValue().trim());
        origins.put(e.getKey(), overridesOrigin + " " + e.getKey());
      }
    }
    return new MondooWifConfig(values, origins);
  }

  /** The {@code mondoo.wif.*} entries of a {@link Properties}, as a map. */
  public static Map<String, String> propertiesOf(Properties properties) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(ConfigKeys.PREFIX)) {
        out.put(name, properties.getProperty(name));
      }
    }
    return out;
  }

  private static void readWifFile(
      Path path, String namedBy, boolean explicit, Map<String, String> values, Map<String, String> origins)
      throws ConfigException {
    String origin = "file " + path;
    String text;
    try {
      // A directory, device or pipe is never the console's file, and reading one can block for good (a
      // FIFO nobody writes) or never end (/dev/zero): look before opening, then read at most the cap.
      if (Files.exists(path) && !Files.isRegularFile(path)) {
        if (!explicit) {
          Log.debug("ignoring MONDOO_CONFIG_PATH " + path + ": not a regular file");
          return;
        }
        throw new ConfigException(ConfigKeys.CONFIG, "the WIF config file " + path + " (named by " + namedBy
            + ") is not a regular file: name the JSON file the Mondoo console hands out");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_FILE_BYTES) {
        if (!explicit) {
          return; // far too big for the console's file: some other MONDOO_CONFIG_PATH content
        }
        throw new ConfigException(
            ConfigKeys.CONFIG, "the WIF config file " + path + " (named by " + namedBy + ") is larger than 1 MiB");
      }
      text = new String(bytes, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      if (!explicit) {
        return;
      }
      throw new ConfigException(
          ConfigKeys.CONFIG, "the WIF config file " + path + " (named by " + namedBy + ") does not exist", e);
    } catch (IOException e) {
      if (!explicit) {
        // MONDOO_CONFIG_PATH usually names a service-account config, often readable by root alone; it is
        // only a candidate, and must not stop a configuration that other layers complete.
        Log.debug("ignoring MONDOO_CONFIG_PATH " + path + ": " + e.getClass().getSimpleName());
        return;
      }
      throw new ConfigException(
          ConfigKeys.CONFIG,
          "the WIF config file " + path + " (named by " + namedBy + ") cannot be read: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          e);
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(text);
    } catch (MalformedJsonException e) {
      if (!explicit) {
        return; // MONDOO_CONFIG_PATH usually names an ordinary YAML service-account config: not ours
      }
      throw new ConfigException(
          ConfigKeys.CONFIG,
          "the WIF config file " + path + " (named by " + namedBy + ") is not the JSON the Mondoo console hands out: "
              + e.getMessage(),
          e);
    }
    Object type = json.get("type");
    if (!"external_account".equals(type)) {
      if (!explicit) {
        return;
      }
      throw new ConfigException(
          ConfigKeys.CONFIG,
          "the WIF config file " + path + " (named by " + namedBy + ") has \"type\": "
              + (type == null ? "none" : "\"" + type + "\"") + "; expected \"external_account\"");
    }
    putFromFile(json, "universeDomain", ConfigKeys.UNIVERSE_DOMAIN, origin, values, origins);
    putFromFile(json, "audience", ConfigKeys.AUDIENCE, origin, values, origins);
    putFromFile(json, "issuerUri", ConfigKeys.ISSUER, origin, values, origins);
    putFromFile(json, "jwtToken", ConfigKeys.JWT_TOKEN, origin, values, origins);
  }

  private static void putFromFile(
      Map<String, Object> json, String field, String key, String origin, Map<String, String> values, Map<String, String> origins)
      throws ConfigException {
    Object v = json.get(field);
    if (v == null) {
      return;
    }
    if (!(v instanceof String)) {
      throw new ConfigException(key, "\"" + field + "\" in " + origin + " must be a string");
    }
    if (!blank((String) v)) {
      values.put(key, ((String) v).trim());
      origins.put(key, origin + " (" + field + ")");
    }
  }

  private void validate(String key, String value) throws ConfigException {
    Key k = ConfigKeys.get(key);
    if (k == null || value == null) {
      return;
    }
    switch (k.type) {
      case DURATION:
        Duration d;
        try {
          d = Durations.parse(value);
        } catch (IllegalArgumentException e) {
          throw invalid(key, value, e.getMessage());
        }
        if (d.isNegative() || (d.isZero() && !ConfigKeys.STARTUP_TIMEOUT.equals(key))) {
          throw invalid(key, value, "must be positive");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
          throw invalid(key, value, "must be at most " + MAX_DURATION.toDays() + "d");
        }
        break;
      case BOOLEAN:
        String b = value.toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) {
          throw invalid(key, value, "must be true or false");
        }
        break;
      case NAME:
        if (!NAME.matcher(value).matches()) {
          throw invalid(key, value, "must be a provider name (lower-case letters, digits and dashes) or auto");
        }
        break;
      case URL:
        normaliseUniverse(value);
        break;
      default:
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
          throw invalid(key, value, "must be a single line");
        }
    }
  }

  private ConfigException invalid(String key, String value, String why) {
    Key k = ConfigKeys.get(key);
    String shown = k != null && k.secret ? "<secret>" : "\"" + value + "\"";
    return new ConfigException(
        key, ConfigKeys.PREFIX + key + " = " + shown + " (from " + originOf(key) + ") is invalid: " + why);
  }

  private String normaliseUniverse(String value) throws ConfigException {
    String v = value.trim();
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw invalid(ConfigKeys.UNIVERSE_DOMAIN, value, "not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw invalid(ConfigKeys.UNIVERSE_DOMAIN, value, "expected a URL such as https://us.api.mondoo.com");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
      throw invalid(ConfigKeys.UNIVERSE_DOMAIN, value, "must be the host only, without a path");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw invalid(ConfigKeys.UNIVERSE_DOMAIN, value, "must be the host only, without query, fragment or user info");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw invalid(
          ConfigKeys.UNIVERSE_DOMAIN, value, "must use https (plain http is allowed only for loopback hosts)");
    }
    return v;
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    // An IPv4 literal in 127/8, not any name that starts with "127." (127.0.0.1.nip.io is a DNS name).
    return h.equals("localhost") || LOOPBACK_V4.matcher(h).matches() || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  private Duration duration(String key) {
    return Durations.parse(value(key));
  }

  private String value(String key) {
    String v = values.get(key);
    if (v != null) {
      return v;
    }
    Key k = ConfigKeys.get(key);
    return k == null ? null : k.defaultValue;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** {@code //captain.api.mondoo.app/spaces/<id>}: the audience of the identity binding. */
  public String audience() {
    return values.get(ConfigKeys.AUDIENCE);
  }

  /**
   * The issuer URI the binding trusts, or {@code null} when not configured. Azure sources then use the
   * token's own {@code iss}; every other source requires it.
   */
  public String issuer() {
    return values.get(ConfigKeys.ISSUER);
  }

  /** Mondoo's API host, without a trailing slash; {@code https://us.api.mondoo.com} by default. */
  public String universeDomain() {
    return universeDomain;
  }

  /** The provider name to use, or {@code auto}. */
  public String source() {
    return value(ConfigKeys.SOURCE);
  }

  /** The Entra resource to request Azure tokens for. */
  public String azureResource() {
    return value(ConfigKeys.AZURE_RESOURCE);
  }

  public String azureClientId() {
    return values.get(ConfigKeys.AZURE_CLIENT_ID);
  }

  public String azureObjectId() {
    return values.get(ConfigKeys.AZURE_OBJECT_ID);
  }

  public String azureMsiResId() {
    return values.get(ConfigKeys.AZURE_MSI_RES_ID);
  }

  /** The lifetime assumed for a credential whose certificate gives no usable notAfter. */
  public Duration credentialLifetime() {
    return credentialLifetime;
  }

  /** The bound on one HTTP request (connect, send, wait, read). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Any setting by key (without the {@code mondoo.wif.} prefix), falling back to its default. */
  public Optional<String> setting(String key) {
    return Optional.ofNullable(value(key));
  }

  /** A duration setting, falling back to its default; empty when neither exists. */
  public Optional<Duration> durationSetting(String key) {
    return setting(key).map(Durations::parse);
  }

  /** A boolean setting, falling back to its default; {@code false} when neither exists. */
  public boolean booleanSetting(String key) {
    return setting(key).map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  /**
   * Where a setting's value came from: {@code "default"}, {@code "builder"},
   * {@code "file /path (audience)"}, {@code "environment MONDOO_WIF_AUDIENCE"},
   * {@code "system property mondoo.wif.audience"}, or the overrides' origin.
   */
  public String originOf(String key) {
    String o = origins.get(key);
    return o != null ? o : DEFAULT_ORIGIN;
  }

  /** The keys that were set explicitly (not defaults). */
  public Set<String> keys() {
    return values.keySet();
  }

  /** Lists every explicit key with its origin; secret values are never shown. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MondooWifConfig{");
    boolean first = true;
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      Key k = ConfigKeys.get(e.getKey());
      sb.append(e.getKey()).append('=').append(k != null && k.secret ? "<secret>" : e.getValue());
    }
    return sb.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MondooWifConfig && ((MondooWifConfig) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /**
   * Builds a {@link MondooWifConfig} in code. Each option may be set once per builder; a second call
   * fails with the value already set. A builder from {@link MondooWifConfig#newBuilder()} may replace
   * each inherited value once.
   */
  public static final class Builder {
    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final Set<String> setHere = new HashSet<>();

    private Builder(Map<String, String> values, Map<String, String> origins) {
      this.values = new LinkedHashMap<>(values);
      this.origins = new LinkedHashMap<>(origins);
    }

    public Builder audience(String audience) {
      return setting(ConfigKeys.AUDIENCE, audience);
    }

    public Builder issuer(String issuer) {
      return setting(ConfigKeys.ISSUER, issuer);
    }

    public Builder universeDomain(String universeDomain) {
      return setting(ConfigKeys.UNIVERSE_DOMAIN, universeDomain);
    }

    public Builder source(String source) {
      return setting(ConfigKeys.SOURCE, source);
    }

    public Builder azureResource(String resource) {
      return setting(ConfigKeys.AZURE_RESOURCE, resource);
    }

    public Builder azureClientId(String clientId) {
      return setting(ConfigKeys.AZURE_CLIENT_ID, clientId);
    }

    public Builder azureObjectId(String objectId) {
      return setting(ConfigKeys.AZURE_OBJECT_ID, objectId);
    }

    public Builder azureMsiResId(String msiResId) {
      return setting(ConfigKeys.AZURE_MSI_RES_ID, msiResId);
    }

    public Builder credentialLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("credentialLifetime must be positive but was " + lifetime);
      }
      return setting(ConfigKeys.CREDENTIAL_LIFETIME, lifetime.toString());
    }

    public Builder requestTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive but was " + timeout);
      }
      return setting(ConfigKeys.REQUEST_TIMEOUT, timeout.toString());
    }

    /** Sets any {@code mondoo.wif.*} key (without the prefix). */
    public Builder setting(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value of " + key);
      if (key.startsWith(ConfigKeys.PREFIX)) {
        throw new IllegalArgumentException("key " + key + " must be given without the mondoo.wif. prefix");
      }
      if (!setHere.add(key)) {
        Key k = ConfigKeys.get(key);
        throw new IllegalStateException(
            key + " was already set to " + (k != null && k.secret ? "<secret>" : values.get(key)));
      }
      values.put(key, value.trim());
      origins.put(key, "builder");
      return this;
    }

    /** @throws ConfigException when a required value is missing or a value is invalid */
    public MondooWifConfig build() throws ConfigException {
      return new MondooWifConfig(values, origins);
    }
  }
}
