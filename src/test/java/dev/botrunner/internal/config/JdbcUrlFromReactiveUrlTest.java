package dev.botrunner.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JDBC URL Flyway uses is derived from the reactive URL users configure. */
class JdbcUrlFromReactiveUrlTest {

  private static SmallRyeConfig config(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .withInterceptors(new JdbcUrlFromReactiveUrl())
        .build();
  }

  @Test
  void convertsTheReactiveForms() {
    assertEquals(
        "jdbc:postgresql://db:5432/bot", JdbcUrlFromReactiveUrl.toJdbc("postgresql://db:5432/bot"));
    assertEquals(
        "jdbc:postgresql://db/bot?sslmode=require",
        JdbcUrlFromReactiveUrl.toJdbc("vertx-reactive:postgres://db/bot?sslmode=require"));
    assertNull(JdbcUrlFromReactiveUrl.toJdbc("mysql://db/bot"), "not PostgreSQL: left alone");
    assertNull(JdbcUrlFromReactiveUrl.toJdbc("not a url"));
  }

  @Test
  void derivesUrlAndCredentialsWithoutPuttingThePasswordIntoTheUrl() {
    SmallRyeConfig config =
        config(Map.of("quarkus.datasource.reactive.url", "postgresql://bot:p%40ss+w@db:5433/bots"));
    String jdbc = config.getValue("quarkus.datasource.jdbc.url", String.class);
    assertEquals("jdbc:postgresql://db:5433/bots", jdbc);
    assertFalse(jdbc.contains("p@ss"), "credentials stay out of the URL");
    assertEquals("bot", config.getValue("quarkus.datasource.username", String.class));
    assertEquals("p@ss+w", config.getValue("quarkus.datasource.password", String.class));
  }

  @Test
  void explicitSettingsWin() {
    SmallRyeConfig config =
        config(
            Map.of(
                "quarkus.datasource.reactive.url", "postgresql://u:x@db/bots",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://other/bots",
                "quarkus.datasource.username", "admin"));
    assertEquals(
        "jdbc:postgresql://other/bots",
        config.getValue("quarkus.datasource.jdbc.url", String.class));
    assertEquals("admin", config.getValue("quarkus.datasource.username", String.class));
  }

  @Test
  void nothingIsDerivedWithoutAReactiveUrl() {
    SmallRyeConfig config = config(Map.of());
    assertFalse(config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isPresent());
    assertFalse(config.getOptionalValue("quarkus.datasource.password", String.class).isPresent());
  }
}
