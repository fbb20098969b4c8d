package io.github.mondoowif.agent.cli;

import io.github.mondoowif.internal.json.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code doctor} found, step by step: one model, printed for people or as one JSON document for
 * tooling, so both always say the same. Nothing secret is ever put in here: fingerprints only.
 */
final class DoctorReport {
  enum Status {
    OK,
    WARN,
    FAIL,
    SKIP;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One step: facts (what is), checks (what was compared), hints (what to do). */
  static final class Step {
    final String id;
    final String title;
    private Status status = Status.OK;
    /** Values are strings, or a table: a list of rows, each an ordered map of strings. */
    final Map<String, Object> facts = new LinkedHashMap<>();
    final List<Map<String, String>> checks = new ArrayList<>();
    final List<String> hints = new ArrayList<>();
    String error;

    Step(String id, String title) {
      this.id = id;
      this.title = title;
    }

    Status status() {
      return status;
    }

    Step fact(String name, Object value) {
      if (value != null) {
        facts.put(name, value instanceof List ? value : String.valueOf(value));
      }
      return this;
    }

    Step check(Status outcome, String message) {
      Map<String, String> c = new LinkedHashMap<>();
      c.put("status", outcome.json());
      c.put("message", message);
      checks.add(c);
      raise(outcome);
      return this;
    }

    Step hint(String hint) {
      if (hint != null && !hints.contains(hint)) {
        hints.add(hint);
      }
      return this;
    }

    Step fail(String error) {
      this.error = error;
      raise(Status.FAIL);
      return this;
    }

    Step skip(String why) {
      this.error = why;
      status = Status.SKIP;
      return this;
    }

    private void raise(Status outcome) {
      if (outcome == Status.FAIL || (outcome == Status.WARN && status == Status.OK)) {
        status = outcome;
      }
    }
  }

  final String ranAt;
  final List<Step> steps = new ArrayList<>();

  DoctorReport(String ranAt) {
    this.ranAt = ranAt;
  }

  Step step(String id, String title) {
    Step s = new Step(id, title);
    steps.add(s);
    return s;
  }

  boolean ok() {
    return steps.stream().noneMatch(s -> s.status == Status.FAIL);
  }

  private List<Step> with(Status status) {
    List<Step> out = new ArrayList<>();
    for (Step s : steps) {
      if (s.status == status) {
        out.add(s);
      }
    }
    return out;
  }

  String summary() {
    List<Step> failed = with(Status.FAIL);
    List<Step> warned = with(Status.WARN);
    if (failed.isEmpty()) {
      return warned.isEmpty()
          ? "All " + steps.size() + " steps passed: keyless access to Mondoo works here."
          : "No step failed; " + warned.size() + " with warnings (" + titles(warned) + ").";
    }
    return failed.size() + " of " + steps.size() + " steps failed (" + titles(failed)
        + "). Fix the first failure first: later steps often fail because of it.";
  }

  private static String titles(List<Step> steps) {
    List<String> t = new ArrayList<>();
    for (Step s : steps) {
      t.add(s.title);
    }
    return String.join(", ", t);
  }

  void printText(PrintStream out) {
    out.println("mondoo-wif doctor (" + ranAt + ")");
    int n = 0;
    for (Step s : steps) {
      n++;
      out.println();
      out.println(n + ". " + s.title + " [" + s.status + "]");
      if (s.error != null) {
        out.println("   " + (s.status == Status.SKIP ? "skipped: " : "error: ") + indent(s.error));
      }
      int width = 0;
      for (Map.Entry<String, Object> f : s.facts.entrySet()) {
        if (f.getValue() instanceof String) {
          width = Math.max(width, f.getKey().length());
        }
      }
      for (Map.Entry<String, Object> f : s.facts.entrySet()) {
        if (f.getValue() instanceof String) {
          out.println("   " + pad(f.getKey(), width) + "  " + indent((String) f.getValue()));
        } else {
          out.println("   " + f.getKey() + ":");
          for (String line : table((List<?>) f.getValue())) {
            out.println("     " + line);
          }
        }
      }
      for (Map<String, String> c : s.checks) {
        out.println("   [" + c.get("status").toUpperCase(Locale.ROOT) + "] " + indent(c.get("message")));
      }
      for (String h : s.hints) {
        out.println("   hint: " + indent(h));
      }
    }
    out.println();
    out.println(summary());
    out.flush();
  }

  /**
   * Rows as aligned columns; with three or more columns the last (an origin or a reason) goes in
   * parentheses.
   */
  private static List<String> table(List<?> rows) {
    List<List<String>> cells = new ArrayList<>();
    int[] width = new int[0];
    for (Object row : rows) {
      List<String> cols = new ArrayList<>();
      for (Object v : ((Map<?, ?>) row).values()) {
        cols.add(String.valueOf(v));
      }
      if (cols.size() >= 3) {
        cols.set(cols.size() - 1, "(" + cols.get(cols.size() - 1) + ")");
      }
      if (cols.size() > width.length) {
        width = java.util.Arrays.copyOf(width, cols.size());
      }
      for (int i = 0; i < cols.size() - 1; i++) {
        width[i] = Math.max(width[i], cols.get(i).length());
      }
      cells.add(cols);
    }
    List<String> lines = new ArrayList<>();
    for (List<String> cols : cells) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < cols.size(); i++) {
        sb.append(i < cols.size() - 1 ? pad(cols.get(i), width[i]) + "  " : cols.get(i));
      }
      lines.add(sb.toString());
    }
    return lines;
  }

  private static String pad(String s, int width) {
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < width) {
      sb.append(' ');
    }
    return sb.toString();
  }

  private static String indent(String s) {
    return s.replace("\n", "\n     ");
  }

  void printJson(PrintStream out) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("ok", ok());
    doc.put("ranAt", ranAt);
    doc.put("summary", summary());
    List<Object> list = new ArrayList<>();
    for (Step s : steps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", s.id);
      m.put("title", s.title);
      m.put("status", s.status.json());
      if (s.error != null) {
        m.put(s.status == Status.SKIP ? "skipped" : "error", s.error);
      }
      m.put("facts", s.facts);
      m.put("checks", s.checks);
      m.put("hints", s.hints);
      list.add(m);
    }
    doc.put("steps", list);
    out.print(Json.write(doc) + "\n");
    out.flush();
  }
}
