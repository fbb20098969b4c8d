package io.github.mondoowif.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.mondoowif.ExchangeException;
import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.internal.jmx.Publication;
import io.github.mondoowif.internal.jmx.StatusMBeans;
import io.github.mondoowif.internal.refresh.CredentialStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where the robustness suite keeps the secrets its fakes plant and everything the library showed: log
 * records, exception messages, {@code toString()}s, status and MXBean attributes. {@link Extension} turns
 * debug logging on for each test and fails it if any of that contains a planted secret (whole, or any
 * 40-character piece of a long one). {@link SecretHygieneTest} reads the whole collection after running
 * every scenario, together with stdout and stderr.
 */
final class Witness {
  /** Every secret a fake ever planted. Never cleared: static fixtures plant theirs once. */
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  /** Everything observed since the last {@link #reset()}. */
  private static final Queue<String> ALL = new ConcurrentLinkedQueue<>();
  /** Everything observed in the running test. */
  private static final Queue<String> TEST = new ConcurrentLinkedQueue<>();
  /** Set by {@link SecretHygieneTest}: read status through real MXBeans, not just {@code toString()}. */
  static volatile boolean deep;

  private static final String LIBRARY_LOGGER = "io.github.mondoowif";

  private Witness() {}

  /** Remembers {@code secret} as something that must never be shown; returns it. */
  static String plant(String secret) {
    if (secret != null && secret.length() >= 8) {
      SECRETS.add(secret);
    }
    return secret;
  }

  static Set<String> secrets() {
    return Set.copyOf(SECRETS);
  }

  static void reset() {
    ALL.clear();
  }

  static List<String> all() {
    return new ArrayList<>(ALL);
  }

  static void text(String text) {
    String t = String.valueOf(text);
    ALL.add(t);
    TEST.add(t);
  }

  /**
   * Records what the library would show of {@code o}: its {@code toString()}, and for exceptions the
   * message and {@code toString()} of the whole cause chain and anything they carry.
   */
  static void observe(Object o) {
    if (o == null) {
      return;
    }
    if (o instanceof Throwable) {
      Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (Throwable t = (Throwable) o; t != null && seen.add(t); t = t.getCause()) {
        text(t.toString());
        text(t.getMessage());
        if (t instanceof ExchangeException) {
          ExchangeException x = (ExchangeException) t;
          text(x.serverMessage());
          text(x.endpoint() + " " + x.audience() + " " + x.issuer() + " " + x.tokenIssuer() + " "
              + x.tokenAudience() + " " + x.tokenSubject() + " " + x.tokenExpiresAt());
        }
        for (Throwable s : t.getSuppressed()) {
          observe(s);
        }
      }
      return;
    }
    text(o.toString());
    if (o instanceof MondooCredential) {
      MondooCredential c = (MondooCredential) o;
      text(c.mrn() + " " + c.scopeMrn() + " " + c.apiEndpoint() + " " + c.provider() + " " + c.fingerprint());
    } else if (o instanceof MondooCredentials) {
      MondooCredentials c = (MondooCredentials) o;
      text(c.config().toString());
      c.peek().ifPresent(Witness::observe);
      text(c.providerName());
    }
  }

  /**
   * Records a source's status. In deep mode the status is published as the MXBean production publishes,
   * and every attribute is read back through the platform MBean server.
   */
  static void status(String name, Supplier<CredentialStatus> status) {
    text(status.get().toString());
    if (!deep) {
      return;
    }
    Publication p = StatusMBeans.publish(name, status);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> p.objectName() != null);
      text(attributes(new ObjectName(p.objectName())).toString());
    } catch (Exception e) {
      throw new AssertionError("reading the MXBean of " + name + " failed", e);
    } finally {
      p.withdraw();
    }
  }

  /** In deep mode, every attribute of every registered credential MXBean whose name starts with {@code name}. */
  static void mxbeans(String name) {
    if (!deep) {
      return;
    }
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      ObjectName pattern = new ObjectName("io.github.mondoowif:type=Credential,*");
      await().atMost(Duration.ofSeconds(10)).until(() -> server.queryNames(pattern, null).stream()
          .anyMatch(n -> n.getKeyProperty("name").startsWith(name)));
      for (ObjectName on : server.queryNames(pattern, null)) {
        text(attributes(on).toString());
      }
    } catch (Exception e) {
      throw new AssertionError("reading the credential MXBeans failed", e);
    }
  }

  private static Map<String, Object> attributes(ObjectName on) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, Object> values = new HashMap<>();
    for (MBeanAttributeInfo a : server.getMBeanInfo(on).getAttributes()) {
      values.put(a.getName(), server.getAttribute(on, a.getName()));
    }
    assertThat(values).containsKeys("Name", "State", "LastError", "Fingerprint");
    return values;
  }

  /** The texts that contain a planted secret, each with a hint of which. Empty when all are clean. */
  static List<String> leaks(Collection<String> texts) {
    List<String> shortSecrets = new ArrayList<>();
    Map<Long, List<String>> pieces = new HashMap<>();
    for (String s : SECRETS) {
      if (s.length() < PIECE) {
        shortSecrets.add(s);
        continue;
      }
      for (int i = 0; ; i += PIECE / 2) {
        int start = Math.min(i, s.length() - PIECE);
        String piece = s.substring(start, start + PIECE);
        pieces.computeIfAbsent(hash(piece, 0), k -> new ArrayList<>()).add(piece);
        if (start == s.length() - PIECE) {
          break;
        }
      }
    }
    Set<String> found = new LinkedHashSet<>();
    for (String text : new LinkedHashSet<>(texts)) {
      if (text == null) {
        continue;
      }
      for (String s : shortSecrets) {
        if (text.contains(s)) {
          found.add(excerpt(text) + "  <- contains a planted secret of " + s.length() + " characters");
        }
      }
      if (text.length() < PIECE) {
        continue;
      }
      long h = hash(text, 0);
      for (int i = 0; ; i++) {
        List<String> candidates = pieces.get(h);
        if (candidates != null) {
          for (String c : candidates) {
            if (text.regionMatches(i, c, 0, PIECE)) {
              found.add(excerpt(text) + "  <- contains a 40-character piece of a planted secret at " + i);
            }
          }
        }
        if (i + PIECE >= text.length()) {
          break;
        }
        h = (h - text.charAt(i) * POW) * BASE + text.charAt(i + PIECE);
      }
    }
    return new ArrayList<>(found);
  }

  static void assertNoLeaks(Collection<String> texts) {
    assertThat(leaks(texts)).as("texts that show a planted secret").isEmpty();
  }

  private static final int PIECE = 40;
  private static final long BASE = 1_000_003L;
  private static final long POW = pow();

  private static long pow() {
    long p = 1;
    for (int i = 0; i < PIECE - 1; i++) {
      p *= BASE;
    }
    return p;
  }

  private static long hash(String s, int from) {
    long h = 0;
    for (int i = from; i < from + PIECE; i++) {
      h = h * BASE + s.charAt(i);
    }
    return h;
  }

  private static String excerpt(String text) {
    return text.length() <= 160 ? text : text.substring(0, 160) + "…";
  }

  /** A log record as one text: message, parameters, and the attached throwable's whole chain. */
  static String render(LogRecord r) {
    StringBuilder sb = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage());
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        sb.append(' ').append(p);
      }
    }
    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
      sb.append(' ').append(t);
    }
    return sb.toString();
  }

  /**
   * Captures every log record (all levels: the library's logger is set to log debug too) that reaches
   * java.util.logging's root, the backend of System.Logger here. MockWebServer's own lines are the fakes',
   * not the library's, and are left out. Close to detach and restore the level.
   */
  static final class LogTap extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final Logger library = Logger.getLogger(LIBRARY_LOGGER);
    private final Level previous;
    final Queue<String> texts = new ConcurrentLinkedQueue<>();

    LogTap() {
      previous = library.getLevel();
      setLevel(Level.ALL);
      library.setLevel(Level.ALL);
      root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      String name = String.valueOf(record.getLoggerName());
      if (!name.startsWith("mockwebserver3")) {
        String t = render(record);
        texts.add(t);
        ALL.add(t);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      root.removeHandler(this);
      library.setLevel(previous);
    }
  }

  /** Debug logging on for each test; after it, nothing it logged or observed may show a planted secret. */
  static final class Extension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Witness.class);

    @Override
    public void beforeEach(ExtensionContext context) {
      TEST.clear();
      context.getStore(NS).put("tap", new LogTap());
    }

    @Override
    public void afterEach(ExtensionContext context) {
      LogTap tap = context.getStore(NS).remove("tap", LogTap.class);
      tap.close();
      List<String> texts = new ArrayList<>(tap.texts);
      texts.addAll(TEST);
      TEST.clear();
      assertNoLeaks(texts);
    }
  }
}
