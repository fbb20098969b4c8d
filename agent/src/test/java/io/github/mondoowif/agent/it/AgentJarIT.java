package io.github.mondoowif.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shaded jar itself: manifest, relocation, filtering, size, and that every reference inside resolves. */
class AgentJarIT {
  private static final String SHADED = "io/github/mondoowif/agent/shaded/";

  @Test
  void manifest_namesPremainAgentAndMainClassAndAllowsRetransformation() throws IOException {
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      Attributes a = jar.getManifest().getMainAttributes();
      assertThat(a.getValue("Premain-Class")).isEqualTo("io.github.mondoowif.agent.MondooWifAgent");
      assertThat(a.getValue("Agent-Class")).isEqualTo("io.github.mondoowif.agent.MondooWifAgent");
      assertThat(a.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(a.getValue("Main-Class")).isEqualTo("io.github.mondoowif.agent.cli.Cli");
      assertThat(a.getValue("Multi-Release")).as("no versioned classes: shade would not relocate them").isNull();
    }
  }

  @Test
  void size_isAtMost8MiB() throws IOException {
    assertThat(Files.size(Jvm.AGENT_JAR)).isLessThanOrEqualTo(8L * 1024 * 1024);
  }

  @Test
  void entries_everyBundledLibraryIsRelocatedAndNothingSignedOrModular() throws IOException {
    List<String> offenders = new ArrayList<>();
    Set<String> shadedRoots = new HashSet<>();
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith("module-info.class") || name.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")
            || name.endsWith(".kotlin_module") || name.startsWith("META-INF/versions/")) {
          offenders.add(name);
        }
        String path = name;
        if (path.endsWith(".class") && !path.startsWith("io/github/mondoowif/agent/")) {
          offenders.add(name);
        }
        if (path.startsWith(SHADED) && path.endsWith(".class")) {
          String rest = path.substring(SHADED.length());
          shadedRoots.add(rest.substring(0, rest.indexOf('/')));
        }
      }
    }
    assertThat(offenders).isEmpty();
    assertThat(shadedRoots).containsExactlyInAnyOrder("wif", "okhttp3", "okio", "kotlin", "com", "net", "picocli");
  }

  @Test
  void services_areRelocatedAndNameClassesInTheJar() throws IOException {
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      JarEntry providers = jar.getJarEntry("META-INF/services/" + SHADED.replace('/', '.')
          + "wif.spi.CredentialProvider");
      assertThat(providers).as("the spi's providers, relocated").isNotNull();
      String text = new String(jar.getInputStream(providers).readAllBytes(), StandardCharsets.UTF_8);
      List<String> names = text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      assertThat(names).isNotEmpty().allMatch(n -> n.startsWith(SHADED.replace('/', '.')));
      for (String n : names) {
        assertThat(jar.getJarEntry(n.replace('.', '/') + ".class")).as(n).isNotNull();
      }
      assertThat(jar.getJarEntry("META-INF/services/io.github.mondoowif.spi.CredentialProvider")).isNull();
    }
  }

  /**
   * Every class the jar's classes refer to in code or signatures (not annotations) and that lies under the
   * shaded prefix is in the jar: the filters that drop unused parts of byte-buddy and kotlin-stdlib (and the
   * exclusion of Caffeine) have not cut anything still reachable. A failure lists what is missing and who
   * needs it.
   */
  @Test
  void references_everyShadedClassReferencedInsideTheJarIsPresent() throws IOException {
    Map<String, String> missing = new TreeMap<>();
    try (JarFile jar = new JarFile(Jvm.AGENT_JAR.toFile())) {
      Set<String> present = new HashSet<>();
      Map<String, JarEntry> classes = new HashMap<>();
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
          String name = entry.getName().substring(0, entry.getName().length() - 6);
          present.add(name);
          classes.put(name, entry);
        }
      }
      for (Map.Entry<String, JarEntry> c : classes.entrySet()) {
        try (InputStream in = jar.getInputStream(c.getValue())) {
          for (String ref : ClassRefs.of(in)) {
            if (ref.startsWith(SHADED) && !present.contains(ref)) {
              missing.putIfAbsent(ref, c.getKey());
            }
          }
        }
      }
    }
    assertThat(missing).as("missing class -> a class that references it").isEmpty();
  }

  /** The classes a class file links against: constant-pool classes and member, call-site and method-type descriptors. */
  static final class ClassRefs {
    private static final Pattern OBJECT_TYPE = Pattern.compile("L([^;<]+)[;<]");

    static Set<String> of(InputStream stream) throws IOException {
      DataInputStream in = new DataInputStream(stream);
      in.readInt();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf = new String[count];
      List<Integer> classIdx = new ArrayList<>();
      List<Integer> descIdx = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1: utf[i] = in.readUTF(); break;
          case 3: case 4: in.readInt(); break;
          case 5: case 6: in.readLong(); i++; break;
          case 7: classIdx.add(in.readUnsignedShort()); break;
          case 8: case 19: case 20: in.readUnsignedShort(); break;
          case 12: in.readUnsignedShort(); descIdx.add(in.readUnsignedShort()); break;
          case 16: descIdx.add(in.readUnsignedShort()); break;
          case 9: case 10: case 11: case 17: case 18: in.readInt(); break;
          case 15: in.readUnsignedByte(); in.readUnsignedShort(); break;
          default: throw new IOException("unknown constant pool tag " + tag);
        }
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int interfaces = in.readUnsignedShort();
      for (int i = 0; i < interfaces; i++) {
        in.readUnsignedShort();
      }
      for (int kind = 0; kind < 2; kind++) {
        int members = in.readUnsignedShort();
        for (int m = 0; m < members; m++) {
          in.readUnsignedShort();
          in.readUnsignedShort();
          descIdx.add(in.readUnsignedShort());
          int attributes = in.readUnsignedShort();
          for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt() & 0xffffffffL);
          }
        }
      }
      Set<String> refs = new HashSet<>();
      List<String> descriptors = new ArrayList<>();
      for (int idx : classIdx) {
        if (utf[idx].startsWith("[")) {
          descriptors.add(utf[idx]);
        } else {
          refs.add(utf[idx]);
        }
      }
      for (int idx : descIdx) {
        descriptors.add(utf[idx]);
      }
      for (String d : descriptors) {
        Matcher m = OBJECT_TYPE.matcher(d);
        while (m.find()) {
          refs.add(m.group(1));
        }
      }
      return refs;
    }
  }
}
