import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The markdown tables of one bench/e2e.sh series, ready for docs/benchmarks.md: the medians per
 * case and bot, then every run. Reads the {@code RESULT} line of each {@code run-CASE-BOT-RUN.txt}
 * in the results folder:
 *
 * <pre>
 * java -cp target/bench-classes Report DIR "CASE ..." "BOT ..." RUNS
 * </pre>
 *
 * <p>A run that failed has no file or no RESULT line; it is left out and the count of runs shows
 * it. A figure a bot does not have (the JIT split for the Node peers) shows as a dash.
 */
public class Report {

  /** Column heading and RESULT key, in table order. */
  private static final String[][] COLUMNS = {
    {"CPU µs/update", "us_per_update"},
    {"without JIT", "no_jit_us"},
    {"kernel µs", "sys_us"},
    {"updates/s", "rate"},
    {"% of bound", "bound_pct"},
    {"% of bound, fake's times", "bound_fake_pct"},
    {"hop ms (mean)", "hop_ms_mean"},
    {"p50 ms", "p50_ms"},
    {"p99 ms", "p99_ms"},
    {"deliveries/update", "deliveries"},
    {"max deliveries", "deliveries_max"},
    {"getUpdates calls", "get_updates"},
    {"peak RSS MiB", "rss_mib"},
  };

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: Report DIR \"CASE ...\" \"BOT ...\" RUNS");
    }
    Path dir = Path.of(args[0]);
    List<String> cases = words(args[1]);
    List<String> bots = words(args[2]);
    int runs = Integer.parseInt(args[3]);

    StringBuilder head = new StringBuilder("| case | bot | runs |");
    StringBuilder rule = new StringBuilder("|---|---|---|");
    for (String[] c : COLUMNS) {
      head.append(' ').append(c[0]).append(" |");
      rule.append("---|");
    }
    System.out.println(
        "Medians (each figure's median on its own; lower middle for an even count):");
    System.out.println();
    System.out.println(head);
    System.out.println(rule);
    Map<String, List<Map<String, String>>> all = new LinkedHashMap<>();
    for (String c : cases) {
      for (String bot : bots) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
          Map<String, String> row = read(dir.resolve("run-" + c + "-" + bot + "-" + r + ".txt"));
          if (row != null) {
            row.put("run", Integer.toString(r));
            rows.add(row);
          }
        }
        if (rows.isEmpty()) {
          continue; // not run: a webhook case for a peer, or every run failed
        }
        all.put(c + " " + bot, rows);
        StringBuilder line = new StringBuilder("| " + c + " | " + bot + " | " + rows.size() + " |");
        for (String[] col : COLUMNS) {
          line.append(' ').append(median(rows, col[1])).append(" |");
        }
        System.out.println(line);
      }
    }

    System.out.println();
    System.out.println("Every run (load average over 1 minute at the run's start and end):");
    System.out.println();
    // The same columns, with the run and its load average in place of the count of runs.
    System.out.println(head.toString().replace("| runs |", "| run | load avg |"));
    System.out.println("|---" + rule);
    for (String c : cases) {
      for (int r = 1; r <= runs; r++) {
        for (String bot : bots) {
          for (Map<String, String> row : all.getOrDefault(c + " " + bot, List.of())) {
            if (!row.get("run").equals(Integer.toString(r))) {
              continue;
            }
            StringBuilder line = new StringBuilder("| " + c + " | " + bot + " | " + r + " | ");
            line.append(row.getOrDefault("load_start", "?"))
                .append(" → ")
                .append(row.getOrDefault("load_end", "?"))
                .append(" |");
            for (String[] col : COLUMNS) {
              line.append(' ').append(row.getOrDefault(col[1], "–")).append(" |");
            }
            System.out.println(line);
          }
        }
      }
    }
  }

  private static List<String> words(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  /** The RESULT line's key=value pairs, or null if the run left none (it failed). */
  private static Map<String, String> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("RESULT ")) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String pair : line.substring(7).split(" ")) {
          int eq = pair.indexOf('=');
          row.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return row;
      }
    }
    return null;
  }

  /** Lower middle for an even count, as bench/e2e.sh's plain medians; a dash if no run has it. */
  private static String median(List<Map<String, String>> rows, String key) {
    List<String> values = new ArrayList<>();
    for (Map<String, String> row : rows) {
      String v = row.get(key);
      if (v != null && v.matches("-?[0-9.]+")) {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return "–";
    }
    values.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
    return values.get((values.size() - 1) / 2);
  }
}
