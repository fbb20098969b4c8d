package io.github.mondoowif.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every {@code mondoo.wif.*} setting the project knows, with its type, default and one sentence: the
 * single table that loading, validation, {@code doctor} and the README reference agree on. Internal.
 */
public final class ConfigKeys {
  public static final String PREFIX = "mondoo.wif.";
  public static final String ENV_PREFIX = "MONDOO_WIF_";

  /** How a value is checked. */
  public enum Type {
    STRING,
    /** lower-case letters, digits and dashes */
    NAME,
    URL,
    DURATION,
    BOOLEAN,
    PATH
  }

  /** One setting. */
  public static final class Key {
    public final String name;
    public final Type type;
    public final String defaultValue;
    public final boolean secret;
    public final String description;

    Key(String name, Type type, String defaultValue, boolean secret, String description) {
      this.name = name;
      this.type = type;
      this.defaultValue = defaultValue;
      this.secret = secret;
      this.description = description;
    }

    public String property() {
      return PREFIX + name;
    }

    public String env() {
      return envName(name);
    }
  }

  public static final String AUDIENCE = "audience";
  public static final String ISSUER = "issuer";
  public static final String UNIVERSE_DOMAIN = "universe-domain";
  public static final String SOURCE = "source";
  public static final String CONFIG = "config";
  public static final String CREDENTIAL_LIFETIME = "credential-lifetime";
  public static final String REQUEST_TIMEOUT = "request-timeout";
  public static final String AZURE_RESOURCE = "azure.resource";
  public static final String AZURE_CLIENT_ID = "azure.client-id";
  public static final String AZURE_OBJECT_ID = "azure.object-id";
  public static final String AZURE_MSI_RES_ID = "azure.msi-res-id";
  public static final String JWT_TOKEN = "jwt-token";
  public static final String TOKEN_FILE = "token-file";
  public static final String GITHUB_AUDIENCE = "github.audience";
  public static final String WAIT_TIMEOUT = "wait-timeout";
  public static final String ENABLED = "enabled";
  public static final String REQUIRED = "required";
  public static final String STARTUP_TIMEOUT = "startup-timeout";
  public static final String INJECT_ENV = "inject-env";
  public static final String OUTPUT_FILE = "output-file";
  public static final String DEBUG = "debug";

  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  static {
    add(AUDIENCE, Type.STRING, null, "The Mondoo audience of the identity binding, //captain.api.mondoo.app/spaces/<id>.");
    add(ISSUER, Type.STRING, null, "The issuer URI the binding trusts, e.g. https://sts.windows.net/<tenant>/.");
    add(UNIVERSE_DOMAIN, Type.URL, "https://us.api.mondoo.com", "Mondoo API host that runs the Secure Token Service.");
    add(SOURCE, Type.NAME, "auto", "The identity source to use by name, or auto to pick the first that applies.");
    add(CONFIG, Type.PATH, null, "Path of the WIF JSON file the Mondoo console hands out.");
    add(CREDENTIAL_LIFETIME, Type.DURATION, "1h", "Lifetime assumed when the certificate's notAfter cannot be used.");
    add(REQUEST_TIMEOUT, Type.DURATION, "10s", "Upper bound of one HTTP request to a metadata endpoint or the STS.");
    add(AZURE_RESOURCE, Type.STRING, "https://management.azure.com/", "The Entra resource (Application ID URI) the Azure token is requested for.");
    add(AZURE_CLIENT_ID, Type.STRING, null, "Client id of a user-assigned managed identity.");
    add(AZURE_OBJECT_ID, Type.STRING, null, "Object id of a user-assigned managed identity.");
    add(AZURE_MSI_RES_ID, Type.STRING, null, "Azure resource id of a user-assigned managed identity.");
    add(JWT_TOKEN, Type.STRING, null, "A static subject token (the console file's jwtToken); secret.", true);
    add(TOKEN_FILE, Type.PATH, null, "A file holding an OIDC JWT (Kubernetes projected token, SPIFFE JWT-SVID); re-read per exchange.");
    add(GITHUB_AUDIENCE, Type.STRING, null, "Audience to request the GitHub Actions OIDC token for; defaults to the Mondoo audience.");
    add(WAIT_TIMEOUT, Type.DURATION, "30s", "How long get() waits for a refresh when no valid credential is held.");
    add(ENABLED, Type.BOOLEAN, "true", "Agent kill switch: false keeps the agent idle.");
    add(REQUIRED, Type.BOOLEAN, "false", "Agent fail-fast: exit with status 78 when no credential arrives within the startup timeout.");
    add(STARTUP_TIMEOUT, Type.DURATION, "10s", "How long the agent waits for the first credential before main() runs; 0 waits not at all.");
    add(INJECT_ENV, Type.STRING, "all", "Child processes that get MONDOO_CONFIG_BASE64: all, none, or executable base names.");
    add(OUTPUT_FILE, Type.PATH, null, "Also write the decoded credential JSON here (0600, atomic replace) for MONDOO_CONFIG_PATH.");
    add(DEBUG, Type.BOOLEAN, "false", "Agent: print each state change to stderr (never secrets).");
  }

  private ConfigKeys() {}

  private static void add(String name, Type type, String def, String description) {
    add(name, type, def, description, false);
  }

  /**
   * Registers a key. Modules that add settings (the agent, providers) call this from a static
   * initialiser before loading a configuration; registering the same name twice keeps the first.
   */
  public static synchronized void add(String name, Type type, String def, String description, boolean secret) {
    KEYS.putIfAbsent(name, new Key(name, type, def, secret, description));
  }

  public static synchronized Key get(String name) {
    return KEYS.get(name);
  }

  public static synchronized Map<String, Key> all() {
    return new LinkedHashMap<>(KEYS);
  }

  /** {@code azure.client-id} becomes {@code MONDOO_WIF_AZURE_CLIENT_ID}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
