package io.github.mondoowif.agent.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Everything a command reads from or writes to the world, so that tests run the CLI in-process with their own
 * environment, streams and clock.
 */
final class CliContext {
  /** How often {@code write --watch} asks for the current credential even when no listener woke it. */
  static final Duration DEFAULT_WATCH_POLL = Duration.ofSeconds(15);

  final Map<String, String> env;
  final Properties sysprops;
  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Clock clock;
  final Duration watchPoll;
  /** Whether commands may register JVM shutdown hooks (signals); tests that interrupt instead turn this off. */
  final boolean shutdownHooks;

  CliContext(Map<String, String> env, Properties sysprops, InputStream in, PrintStream out, PrintStream err,
      Clock clock, Duration watchPoll, boolean shutdownHooks) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.sysprops = Objects.requireNonNull(sysprops, "sysprops");
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.watchPoll = Objects.requireNonNull(watchPoll, "watchPoll");
    this.shutdownHooks = shutdownHooks;
  }

  static CliContext of(Map<String, String> env, Properties sysprops, InputStream in, PrintStream out, PrintStream err) {
    return new CliContext(env, sysprops, in, out, err, Clock.systemUTC(), DEFAULT_WATCH_POLL, true);
  }
}
