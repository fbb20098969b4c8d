package io.github.mondoowif.benchmarks;

import io.github.mondoowif.MondooCredential;
import io.github.mondoowif.MondooCredentials;
import io.github.mondoowif.MondooWifException;
import io.github.mondoowif.internal.AgentHandoff;
import io.github.mondoowif.testing.FakeMondoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The hot path: {@code get()} while the credential is fresh, next to what it is made of (a volatile read
 * and a wall-clock read) and to the other clock, all in one run. The credential comes from a real exchange
 * against the loopback fakes, configured the way an application would (system properties; a token file as
 * the source, so nothing depends on this process's environment).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class HotPathBenchmark {
  private Fakes fakes;
  private Path tokenFile;
  private MondooCredentials instance;
  private Clock clock;
  private volatile MondooCredential held;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fakes = new Fakes();
    tokenFile = Files.createTempFile("bench-token-", ".jwt");
    Files.writeString(tokenFile, fakes.token);
    System.setProperty("mondoo.wif.audience", FakeMondoo.SPACE);
    System.setProperty("mondoo.wif.issuer", FakeMondoo.ISSUER);
    System.setProperty("mondoo.wif.universe-domain", fakes.universeDomain());
    System.setProperty("mondoo.wif.source", "token-file");
    System.setProperty("mondoo.wif.token-file", tokenFile.toString());
    held = MondooCredentials.get(); // the one exchange
    instance = MondooCredentials.defaultInstance();
    clock = Clock.systemUTC();
    if (fakes.stsRequests.get() != 1) {
      throw new IllegalStateException("expected one exchange, the STS saw " + fakes.stsRequests.get());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (fakes.stsRequests.get() != 1) {
      throw new IllegalStateException("the hot path exchanged again: the STS saw " + fakes.stsRequests.get());
    }
    fakes.close();
    Files.deleteIfExists(tokenFile);
  }

  /** What applications call: the agent check, the default instance, then the engine's fresh path. */
  @Benchmark
  public MondooCredential staticGet() throws MondooWifException {
    return MondooCredentials.get();
  }

  /** The engine's fresh path alone: a volatile read, {@code Clock.millis()}, a comparison. */
  @Benchmark
  public MondooCredential instanceCredential() throws MondooWifException {
    return instance.credential();
  }

  /** The first step of the static {@code get()}: is a {@code -javaagent} serving this JVM? */
  @Benchmark
  public boolean agentCheck() {
    return AgentHandoff.active();
  }

  /** The floor: what any cache that checks nothing costs. */
  @Benchmark
  public MondooCredential volatileRead() {
    return held;
  }

  @Benchmark
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Benchmark
  public long clockMillis() {
    return clock.millis();
  }

  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }
}
