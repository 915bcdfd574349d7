package dev.botrunner.internal.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Derives {@code quarkus.datasource.jdbc.url} from {@code quarkus.datasource.reactive.url} when
 * only the latter is set, and the username and password from that URL's user info when they are not
 * set on their own.
 *
 * <p>Why: sessions use the reactive client, but Flyway migrates the schema over JDBC. Users
 * configure one database ({@code QUARKUS_DATASOURCE_REACTIVE_URL}, username, password) and should
 * not have to repeat it in a second URL format. An explicit {@code QUARKUS_DATASOURCE_JDBC_URL}
 * still wins. Credentials never go into the derived URL, which drivers and tools put into messages.
 */
@Priority(Priorities.APPLICATION + 100)
public class JdbcUrlFromReactiveUrl implements ConfigSourceInterceptor {

  private static final long serialVersionUID = 1L;

  /** The JDBC URL property this interceptor may supply. */
  public static final String JDBC_URL = "quarkus.datasource.jdbc.url";

  /** The username property this interceptor may supply. */
  public static final String USERNAME = "quarkus.datasource.username";

  /** The password property this interceptor may supply. */
  public static final String PASSWORD = "quarkus.datasource.password";

  @Override
  public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
    ConfigValue value = context.proceed(name);
    boolean derivable = JDBC_URL.equals(name) || USERNAME.equals(name) || PASSWORD.equals(name);
    if (!derivable || (value != null && value.getValue() != null)) {
      return value;
    }
    ConfigValue reactive = context.proceed(DatasourceUrl.PROPERTY);
    if (reactive == null || reactive.getValue() == null || reactive.getValue().isBlank()) {
      return value;
    }
    URI uri = parse(reactive.getValue());
    if (uri == null) {
      return value;
    }
    String derived =
        switch (name) {
          case JDBC_URL -> toJdbc(uri);
          case USERNAME -> userInfoPart(uri, 0);
          default -> userInfoPart(uri, 1);
        };
    return derived == null ? value : reactive.withName(name).withValue(derived);
  }

  /**
   * @param reactiveUrl a reactive PostgreSQL URL ({@code [vertx-reactive:]postgres[ql]://...})
   * @return the JDBC URL of the same database without credentials, or null when the text is not
   *     such a URL (the reactive client reports that error itself)
   */
  public static String toJdbc(String reactiveUrl) {
    URI uri = parse(reactiveUrl);
    return uri == null ? null : toJdbc(uri);
  }

  private static URI parse(String reactiveUrl) {
    String text = reactiveUrl.trim();
    if (text.startsWith("vertx-reactive:")) {
      text = text.substring("vertx-reactive:".length());
    }
    try {
      URI uri = new URI(text);
      boolean postgres = "postgresql".equals(uri.getScheme()) || "postgres".equals(uri.getScheme());
      return postgres && uri.getRawAuthority() != null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String toJdbc(URI uri) {
    String authority = uri.getRawAuthority();
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hostPort);
    jdbc.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      jdbc.append('?').append(uri.getRawQuery());
    }
    return jdbc.toString();
  }

  /** Part 0 is the user, part 1 the password, of {@code user:password@host}; null if absent. */
  private static String userInfoPart(URI uri, int part) {
    String authority = uri.getRawAuthority();
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return null;
    }
    String[] userInfo = authority.substring(0, at).split(":", 2);
    if (part >= userInfo.length) {
      return null;
    }
    // '+' is literal in a URI's user info; URLDecoder would turn it into a space.
    return URLDecoder.decode(userInfo[part].replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
