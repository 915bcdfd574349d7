import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.SentMessage;
import dev.botrunner.testkit.Updates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * Runs the host application built twice by check.sh, as it is (target/plain) and with botrunner
 * added (target/with-botrunner), each with {@code java -jar} on a database of its own in one
 * embedded PostgreSQL, and compares what the application's own parts do in each: its REST resources
 * with a request-scoped bean across asynchronous steps, its JDBC pool, its Flyway migrations, its
 * log lines. With botrunner, its bot must answer (polling the test kit's fake Bot API), botrunner's
 * tables must be there, and the sources-only native build must carry both the host's own build
 * arguments and botrunner's reflection feature. Prints one line per aspect and exits 1 if any
 * differs.
 *
 * <p>Usage: {@code java -cp <class path> HostCheck.java <target/plain> <target/with-botrunner>}
 */
public class HostCheck {

  private static final String NAME = "ann";

  /** What the application answers without botrunner, as any Quarkus application does. */
  private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("GET /greet/worker (emitOn worker pool)", "200 hello " + NAME);
    EXPECTED.put("GET /greet/delay (Mutiny delay)", "200 hello " + NAME);
    EXPECTED.put("GET /greet/stage (ManagedExecutor CompletionStage)", "200 hello " + NAME);
    EXPECTED.put("GET /db/pool (Agroal's pool)", "200 max 7, min 0");
    EXPECTED.put("GET /db/migrations (the host's Flyway history)", "200 1 visit true");
  }

  private static final String HOST_TABLES = "the host's tables";
  private static final String LOG_LINE = "the host's log line (digits as 9)";

  /** Arguments of the host's quarkus.native.additional-build-args. */
  private static final List<String> HOST_NATIVE_ARGS =
      List.of("-H:+ReportExceptionStackTraces", "-march=compatibility");

  private static final String FEATURE = "dev.botrunner.internal.config.TelegramReflectionFeature";
  private static final String BOTRUNNER_NATIVE_PROPERTIES =
      "META-INF/native-image/dev.botrunner/botrunner/native-image.properties";

  private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:\\s]+:(\\d+)");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static int passed;
  private static int failed;

  public static void main(String[] args) throws Exception {
    Path plain = Path.of(args[0]);
    Path withBot = Path.of(args[1]);
    File work = new File(System.getProperty("user.home"), ".cache/botrunner-embedded-pg");
    work.mkdirs();
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder().setOverrideWorkingDirectory(work).start()) {
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS host_plain");
        statement.execute("DROP DATABASE IF EXISTS host_with_botrunner");
        statement.execute("CREATE DATABASE host_plain");
        statement.execute("CREATE DATABASE host_with_botrunner");
      }
      int port = postgres.getPort();

      System.out.println("== without botrunner: " + plain);
      Map<String, String> without = observe(plain, database(port, "host_plain"), null);

      System.out.println("== with botrunner: " + withBot);
      Map<String, String> with;
      List<String> replies;
      try (FakeBotApi telegram = FakeBotApi.start()) {
        Map<String, String> env = new LinkedHashMap<>(database(port, "host_with_botrunner"));
        env.put(
            "QUARKUS_DATASOURCE_REACTIVE_URL",
            "postgresql://localhost:" + port + "/host_with_botrunner");
        env.put("BOT_TOKEN", FakeBotApi.TOKEN);
        env.put("BOT_API_URL", telegram.baseUrl());
        env.put("BOT_MODE", "polling");
        env.put("BOT_POLLING_TIMEOUT", "1");
        with = observe(withBot, env, telegram);
        replies = telegram.sentMessages(7).stream().map(SentMessage::text).toList();
      }

      System.out.println();
      System.out.println("== the host's own behaviour, without and with botrunner");
      for (Map.Entry<String, String> expected : EXPECTED.entrySet()) {
        String aspect = expected.getKey();
        compare(aspect, expected.getValue(), without.get(aspect), with.get(aspect));
      }
      compareTables(without.get(HOST_TABLES), with.get(HOST_TABLES));
      String line = without.get(LOG_LINE);
      check(
          LOG_LINE,
          line.contains("greeting " + NAME) && line.equals(with.get(LOG_LINE)),
          "without: " + line + "\n      with:    " + with.get(LOG_LINE));

      System.out.println();
      System.out.println("== botrunner's part");
      check(
          "the bot answers (polling the fake Bot API)",
          replies.contains("host-app heard: hello"),
          "replies: " + replies);

      System.out.println();
      System.out.println("== the sources-only native builds (native-image.args)");
      List<String> plainArgs = nativeArgs(plain);
      List<String> botArgs = nativeArgs(withBot);
      for (String hostArg : HOST_NATIVE_ARGS) {
        check(
            "the host's " + hostArg,
            plainArgs.contains(hostArg) && botArgs.contains(hostArg),
            "without: " + plainArgs.contains(hostArg) + ", with: " + botArgs.contains(hostArg));
      }
      checkFeature(withBot, botArgs);
    }
    System.out.println();
    System.out.println("host-check: " + passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }

  private static Map<String, String> database(int port, String name) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + port + "/" + name);
    env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    return env;
  }

  /**
   * Starts the build's jar, asks each endpoint, and (with a fake Bot API) sends its bot a text.
   *
   * @return what was observed, by aspect
   */
  private static Map<String, String> observe(
      Path build, Map<String, String> env, FakeBotApi telegram) throws Exception {
    File log = File.createTempFile("host-app", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("java", "-jar", build.resolve("quarkus-app/quarkus-run.jar").toString());
    builder.environment().putAll(env);
    builder.environment().put("QUARKUS_HTTP_PORT", "0");
    builder.redirectErrorStream(true).redirectOutput(log);
    Process app = builder.start();
    Map<String, String> seen = new LinkedHashMap<>();
    try {
      String base = "http://localhost:" + awaitPort(app, log);
      for (String aspect : EXPECTED.keySet()) {
        String path = aspect.substring("GET ".length(), aspect.indexOf(' ', "GET ".length()));
        seen.put(aspect, get(base + path + (path.startsWith("/greet") ? "?name=" + NAME : "")));
      }
      seen.put(HOST_TABLES, get(base + "/db/tables"));
      seen.put(LOG_LINE, awaitLine(log, "greeting " + NAME).replaceAll("\\d+", "9"));
      if (telegram != null) {
        telegram.enqueue(Updates.text(7, 7, "hello"));
        telegram.awaitSentMessages(1, Duration.ofSeconds(60));
      }
    } finally {
      app.destroy();
      if (!app.waitFor(60, TimeUnit.SECONDS)) {
        app.destroyForcibly().waitFor();
      }
    }
    seen.forEach((aspect, value) -> System.out.println("  " + aspect + ": " + oneLine(value)));
    List<String> errors =
        Files.readAllLines(log.toPath()).stream()
            .filter(l -> l.contains("ERROR") || l.contains("Exception:"))
            .limit(6)
            .toList();
    errors.forEach(l -> System.out.println("  log: " + l));
    return seen;
  }

  private static int awaitPort(Process app, File log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher listening = LISTENING.matcher(Files.readString(log.toPath()));
      if (listening.find()) {
        return Integer.parseInt(listening.group(1));
      }
      if (!app.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    System.err.println(Files.readString(log.toPath()));
    throw new IllegalStateException("the application did not start (log above)");
  }

  private static String awaitLine(File log, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    do {
      for (String line : Files.readAllLines(log.toPath())) {
        if (line.contains(text)) {
          return line;
        }
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return "(no line with \"" + text + "\")";
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }

  private static void compare(String aspect, String expected, String without, String with) {
    check(
        aspect,
        expected.equals(without) && expected.equals(with),
        "expected "
            + oneLine(expected)
            + "; without: "
            + oneLine(without)
            + "; with: "
            + oneLine(with));
  }

  /** With botrunner the schema has botrunner's tables beside the host's, and nothing else. */
  private static void compareTables(String without, String with) {
    TreeSet<String> host = tables(without);
    TreeSet<String> all = tables(with);
    TreeSet<String> added = new TreeSet<>(all);
    added.removeAll(host);
    check(
        HOST_TABLES,
        host.equals(new TreeSet<>(List.of("flyway_schema_history", "visit")))
            && all.containsAll(host),
        "without: " + host + "; with: " + all);
    check(
        "botrunner's tables beside them",
        added.contains("botrunner_schema_history")
            && added.contains("bot_session")
            && added.stream().allMatch(t -> t.startsWith("bot")),
        "added: " + added);
  }

  /** The tables in an answer of /db/tables ("200 " and one table a line); none if it failed. */
  private static TreeSet<String> tables(String response) {
    TreeSet<String> tables = new TreeSet<>();
    if (response.startsWith("200 ")) {
      tables.addAll(List.of(response.substring("200 ".length()).split("\n")));
    }
    return tables;
  }

  private static List<String> nativeArgs(Path build) throws IOException {
    Path args = build.resolve("native-sources/native-image.args");
    if (!Files.exists(args)) {
      check("native-image.args exists in " + build, false, args + " is missing");
      return List.of();
    }
    return List.of(Files.readString(args).trim().split("\\s+"));
  }

  /**
   * botrunner's feature reaches the image builder either on the command line or through the
   * native-image.properties of botrunner's jar, which the builder reads unless an {@code
   * --exclude-config} names that jar.
   */
  private static void checkFeature(Path build, List<String> args) throws IOException {
    String aspect = "botrunner's TelegramReflectionFeature reaches the image builder";
    if (args.stream().anyMatch(features(FEATURE))) {
      check(aspect + " (--features in native-image.args)", true, "");
      return;
    }
    String missing = "no --features=" + FEATURE + " in native-image.args; ";
    File[] jars =
        build
            .resolve("native-sources/lib")
            .toFile()
            .listFiles(
                f ->
                    f.getName().startsWith("dev.botrunner.botrunner-")
                        && f.getName().endsWith(".jar"));
    if (jars == null || jars.length != 1) {
      check(aspect, false, missing + "no botrunner jar in native-sources/lib");
      return;
    }
    File jar = jars[0];
    String jarArgs = null;
    try (JarFile file = new JarFile(jar)) {
      ZipEntry entry = file.getEntry(BOTRUNNER_NATIVE_PROPERTIES);
      if (entry != null) {
        Properties properties = new Properties();
        try (InputStream in = file.getInputStream(entry)) {
          properties.load(in);
        }
        jarArgs = properties.getProperty("Args", "");
      }
    }
    boolean inJar =
        jarArgs != null && Arrays.stream(jarArgs.trim().split("\\s+")).anyMatch(features(FEATURE));
    List<String> exclusions = new ArrayList<>();
    for (int i = 0; i + 2 < args.size(); i++) {
      if (args.get(i).equals("--exclude-config")) {
        Pattern jarPattern = Pattern.compile(args.get(i + 1));
        Pattern resourcePattern = Pattern.compile(args.get(i + 2));
        boolean jarMatches =
            jarPattern.matcher(jar.getPath()).find()
                || jarPattern.matcher("lib/" + jar.getName()).find();
        if (jarMatches && resourcePattern.matcher("/" + BOTRUNNER_NATIVE_PROPERTIES).find()) {
          exclusions.add(args.get(i + 1) + " " + args.get(i + 2));
        }
      }
    }
    check(
        aspect + " (" + BOTRUNNER_NATIVE_PROPERTIES + " in " + jar.getName() + ")",
        inJar && exclusions.isEmpty(),
        missing
            + (jarArgs == null
                ? jar.getName() + " has no " + BOTRUNNER_NATIVE_PROPERTIES
                : "the Args of its " + BOTRUNNER_NATIVE_PROPERTIES + ": " + jarArgs)
            + (exclusions.isEmpty() ? "" : "; excluded by --exclude-config " + exclusions));
  }

  /** Matches a {@code --features=a,b} argument that lists the feature. */
  private static Predicate<String> features(String feature) {
    return arg ->
        arg.startsWith("--features=")
            && Arrays.asList(arg.substring("--features=".length()).split(",")).contains(feature);
  }

  private static void check(String aspect, boolean ok, String detail) {
    if (ok) {
      passed++;
      System.out.println("  ok      " + aspect);
    } else {
      failed++;
      System.out.println("  FAILED  " + aspect + "\n      " + detail);
    }
  }

  private static String oneLine(String text) {
    return text == null ? "(none)" : text.replace("\n", " | ");
  }
}
