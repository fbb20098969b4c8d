package io.github.mondoowif.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and percentiles of small samples (nearest rank, no interpolation). */
final class Stats {
  private Stats() {}

  static double median(List<? extends Number> xs) {
    List<Double> s = sorted(xs);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** The p-th percentile (0 &lt; p ≤ 100), nearest rank. */
  static double percentile(List<? extends Number> xs, double p) {
    List<Double> s = sorted(xs);
    int rank = (int) Math.ceil(p / 100.0 * s.size());
    return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
  }

  static double min(List<? extends Number> xs) {
    return sorted(xs).get(0);
  }

  static double max(List<? extends Number> xs) {
    List<Double> s = sorted(xs);
    return s.get(s.size() - 1);
  }

  /** "median 123 (min 100, max 160, n 11)". */
  static String summary(List<? extends Number> xs) {
    return String.format("median %.0f (min %.0f, max %.0f, n %d)", median(xs), min(xs), max(xs), xs.size());
  }

  private static List<Double> sorted(List<? extends Number> xs) {
    if (xs.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> s = new ArrayList<>();
    for (Number x : xs) {
      s.add(x.doubleValue());
    }
    Collections.sort(s);
    return s;
  }
}
