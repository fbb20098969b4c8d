package io.github.mondoowif.internal.discovery;

import io.github.mondoowif.ConfigException;
import io.github.mondoowif.NoProviderException;
import io.github.mondoowif.internal.ConfigKeys;
import io.github.mondoowif.internal.Log;
import io.github.mondoowif.spi.Applicability;
import io.github.mondoowif.spi.CredentialProvider;
import io.github.mondoowif.spi.ProviderContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds {@link CredentialProvider}s with {@link ServiceLoader}, JDBC-style but safely: an explicit class
 * loader first and the thread context loader as a second look, each provider isolated (a broken one is
 * reported and skipped), a deterministic order (priority, then name), and selection by name or by
 * applicability. Internal, may change.
 */
public final class ProviderRegistry {
  /** Guards against a ServiceLoader iterator that keeps failing on the same entry. */
  private static final int MAX_ERRORS = 256;

  private final List<CredentialProvider> providers;
  private final List<String> problems;

  private ProviderRegistry(List<CredentialProvider> providers, List<String> problems) {
    List<CredentialProvider> sorted = new ArrayList<>(providers);
    sorted.sort(Comparator.comparingInt(ProviderRegistry::safePriority).thenComparing(ProviderRegistry::safeName));
    this.providers = Collections.unmodifiableList(sorted);
    this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
  }

  /** Exactly these providers, no discovery: for tests and for code that wires its own. */
  public static ProviderRegistry of(List<? extends CredentialProvider> providers) {
    return new ProviderRegistry(new ArrayList<>(providers), List.of());
  }

  /** Discovers with {@code explicit}, then with the thread context class loader where it differs. */
  public static ProviderRegistry load(ClassLoader explicit) {
    List<CredentialProvider> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> classes = new HashSet<>();
    loadFrom(explicit, found, problems, names, classes);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != explicit) {
      loadFrom(context, found, problems, names, classes);
    }
    for (String p : problems) {
      Log.warn("credential provider skipped: " + p);
    }
    return new ProviderRegistry(found, problems);
  }

  private static void loadFrom(ClassLoader loader, List<CredentialProvider> found, List<String> problems,
      Set<String> names, Set<String> classes) {
    Iterator<CredentialProvider> it;
    try {
      it = ServiceLoader.load(CredentialProvider.class, loader).iterator();
    } catch (ServiceConfigurationError | LinkageError e) {
      problems.add("service loading failed with " + loader + ": " + describe(e));
      return;
    }
    int errors = 0;
    while (errors < MAX_ERRORS) {
      CredentialProvider p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
        errors++;
        problems.add(describe(e));
        continue;
      }
      if (!classes.add(p.getClass().getName())) {
        continue; // the same class seen through the second loader
      }
      String name;
      try {
        name = p.name();
        p.priority();
      } catch (RuntimeException | LinkageError e) {
        problems.add(p.getClass().getName() + ": name() or priority() threw " + describe(e));
        continue;
      }
      if (name == null || name.isBlank()) {
        problems.add(p.getClass().getName() + ": name() is blank");
        continue;
      }
      if (!names.add(name)) {
        problems.add(p.getClass().getName() + ": another provider is already named \"" + name + "\"; kept the first");
        continue;
      }
      found.add(p);
    }
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
    if (e.getMessage() != null) {
      sb.append(": ").append(e.getMessage());
    }
    Throwable c = e.getCause();
    if (c != null && c != e) {
      sb.append(" (caused by ").append(c.getClass().getSimpleName());
      if (c.getMessage() != null) {
        sb.append(": ").append(c.getMessage());
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static int safePriority(CredentialProvider p) {
    try {
      return p.priority();
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static String safeName(CredentialProvider p) {
    try {
      return p.name();
    } catch (RuntimeException e) {
      return p.getClass().getName();
    }
  }

  /** The providers in the order they are asked. */
  public List<CredentialProvider> providers() {
    return providers;
  }

  /** Providers that could not be loaded, one line each. */
  public List<String> problems() {
    return problems;
  }

  /** Asks one provider whether it applies; a throwing provider counts as broken, not applicable. */
  public static Applicability applicability(CredentialProvider p, ProviderContext context) {
    try {
      Applicability a = p.applicability(context);
      return a != null ? a : Applicability.notApplicable("applicability() returned null (a bug in the provider)");
    } catch (RuntimeException | LinkageError e) {
      return Applicability.notApplicable("broken: applicability() threw " + describe(e));
    }
  }

  /** Every provider with its answer, in order: what {@code doctor} shows. */
  public Map<CredentialProvider, Applicability> survey(ProviderContext context) {
    Map<CredentialProvider, Applicability> out = new LinkedHashMap<>();
    for (CredentialProvider p : providers) {
      out.put(p, applicability(p, context));
    }
    return out;
  }

  /**
   * The provider to use: the one {@code mondoo.wif.source} names, outright; or with {@code auto} the first
   * that applies.
   *
   * @throws ConfigException when the named provider does not exist
   * @throws NoProviderException when none applies, listing each provider's reason
   */
  public CredentialProvider select(ProviderContext context) throws ConfigException, NoProviderException {
    String source = context.config().source();
    if (!"auto".equals(source)) {
      for (CredentialProvider p : providers) {
        if (p.name().equals(source)) {
          return p;
        }
      }
      throw new ConfigException(ConfigKeys.SOURCE,
          ConfigKeys.PREFIX + ConfigKeys.SOURCE + " = \"" + source + "\" (from "
              + context.config().originOf(ConfigKeys.SOURCE) + ") names no provider; available: " + names()
              + (problems.isEmpty() ? "" : "; not loaded: " + problems));
    }
    List<String> reasons = new ArrayList<>();
    for (CredentialProvider p : providers) {
      Applicability a = applicability(p, context);
      if (a.applicable()) {
        Log.debug("credential provider " + p.name() + " selected: " + a.reason());
        return p;
      }
      reasons.add(p.name() + ": " + a.reason());
    }
    for (String problem : problems) {
      reasons.add("(not loaded) " + problem);
    }
    StringBuilder sb = new StringBuilder("no identity source applies here; asked ")
        .append(providers.size()).append(" provider").append(providers.size() == 1 ? "" : "s").append(':');
    for (String r : reasons) {
      sb.append("\n  - ").append(r);
    }
    sb.append("\nSet mondoo.wif.source to force one, or run where a workload identity is available.");
    throw new NoProviderException(sb.toString(), reasons);
  }

  private List<String> names() {
    List<String> n = new ArrayList<>();
    for (CredentialProvider p : providers) {
      n.add(p.name());
    }
    return n;
  }
}
