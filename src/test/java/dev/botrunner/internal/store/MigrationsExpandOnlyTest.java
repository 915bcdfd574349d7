package dev.botrunner.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * botrunner's rule for its own migrations during a rolling update (docs/sessions.md, "Changing the
 * schema"): a script only expands the schema, so that the previous version, still running beside
 * the new one, keeps working; contracting (dropping, renaming, tightening, changing keys) waits for
 * a later release. Each statement of each script must be one of the expand forms below, unless the
 * script is one of the reviewed exceptions, each with the reason it was allowed.
 */
class MigrationsExpandOnlyTest {

  /**
   * Scripts allowed to contract, and why. Adding one means a release that cannot roll over the
   * previous one: say so in docs/sessions.md as V3's section does.
   */
  private static final Map<String, String> REVIEWED_CONTRACTS =
      Map.of(
          "V3__per_bot.sql",
          "per-bot primary keys: the version before V3 cannot write to the migrated tables, so it"
              + " is stopped before the first V3 replica starts (docs/sessions.md, \"Upgrading a"
              + " database from before V3\")");

  /** Statements that leave the previous version's queries and writes working. */
  private static final List<Pattern> EXPAND =
      List.of(
          statement("CREATE TABLE IF NOT EXISTS .*"),
          // A unique index could refuse the previous version's writes: not in this list.
          statement("CREATE INDEX (CONCURRENTLY )?(IF NOT EXISTS )?.*"),
          // The previous version's inserts do not name the column: it must take NULL or a default.
          statement("ALTER TABLE \\w+ ADD COLUMN (IF NOT EXISTS )?\\w+ [\\w ()]+", "NOT NULL"),
          statement("ALTER TABLE \\w+ ADD COLUMN (IF NOT EXISTS )?\\w+ .*NOT NULL DEFAULT .*"),
          statement("COMMENT ON .*"));

  @Test
  void everyScriptOnlyExpandsUnlessItIsAReviewedException() throws IOException {
    List<String> found = new ArrayList<>();
    for (String script : SchemaMigrations.SCRIPTS) {
      List<String> contracting = contracting(script);
      if (REVIEWED_CONTRACTS.containsKey(script)) {
        assertFalse(
            contracting.isEmpty(), script + " only expands: take it off REVIEWED_CONTRACTS");
      } else {
        contracting.forEach(s -> found.add(script + ": " + s));
      }
    }
    assertEquals(
        List.of(),
        found,
        "statements that would break the previous version during a rolling update; expand in this"
            + " release and contract in a later one (docs/sessions.md, \"Changing the schema\")");
  }

  @Test
  void theCheckKnowsAContractingStatement() {
    // So that a statement that breaks the previous version cannot pass for an expand one.
    for (String contract :
        List.of(
            "ALTER TABLE bot_session DROP COLUMN data",
            "ALTER TABLE bot_session ADD COLUMN chat bigint NOT NULL",
            "ALTER TABLE bot_session RENAME COLUMN data TO state",
            "ALTER TABLE bot_session ALTER COLUMN expires_at SET NOT NULL",
            "CREATE UNIQUE INDEX bot_session_data ON bot_session (data)",
            "DROP TABLE bot_pending_update")) {
      assertFalse(expands(contract), contract);
    }
    for (String expand :
        List.of(
            "CREATE TABLE IF NOT EXISTS bot_x (id bigint PRIMARY KEY)",
            "ALTER TABLE bot_pending_update ADD COLUMN owner text",
            "ALTER TABLE bot_session ADD COLUMN tries int NOT NULL DEFAULT 0",
            "CREATE INDEX IF NOT EXISTS bot_x_at ON bot_x (at)")) {
      assertTrue(expands(expand), expand);
    }
  }

  private static List<String> contracting(String script) throws IOException {
    List<String> contracting = new ArrayList<>();
    for (String statement : statements(read(script))) {
      if (!expands(statement)) {
        contracting.add(statement);
      }
    }
    return contracting;
  }

  private static boolean expands(String statement) {
    String normal = statement.replaceAll("\\s+", " ").trim().toUpperCase(Locale.ROOT);
    return EXPAND.stream().anyMatch(p -> p.matcher(normal).matches());
  }

  /** The statements of a script: comments dropped, split at semicolons (none are quoted here). */
  private static List<String> statements(String sql) {
    List<String> statements = new ArrayList<>();
    for (String statement : sql.replaceAll("--[^\n]*", "").split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.replaceAll("\\s+", " ").trim());
      }
    }
    return statements;
  }

  private static String read(String script) throws IOException {
    String path = SchemaMigrations.LOCATION + "/" + script;
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(path)) {
      assertTrue(in != null, path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Pattern statement(String regex) {
    return Pattern.compile(regex, Pattern.DOTALL);
  }

  /** A pattern that matches {@code regex} unless the statement contains {@code unless}. */
  private static Pattern statement(String regex, String unless) {
    return Pattern.compile("(?!.*" + Pattern.quote(unless) + ")" + regex, Pattern.DOTALL);
  }
}
