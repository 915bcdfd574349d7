package dev.botrunner.internal.config;

import dev.botrunner.config.BotConfig;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.util.regex.Pattern;

/**
 * Adds the webhook path to {@code quarkus.micrometer.binder.http-server.ignore-patterns}, keeping
 * any patterns the user set.
 *
 * <p>Why: Quarkus times every HTTP request by method, URI and status. On the webhook route that
 * timer cost 5 % of the service's CPU per update (JFR, docs/benchmarks-history.md), and it says
 * nothing the bot's own meters do not: {@code botrunner.webhook.requests} counts posts by how they
 * were answered, and the update meters time every update. The path is configurable and may hold
 * regex characters, so it is quoted here rather than written into a properties file.
 */
@Priority(Priorities.APPLICATION + 100)
public class WebhookOutOfHttpMetrics implements ConfigSourceInterceptor {

  private static final long serialVersionUID = 1L;

  /** The Micrometer property this interceptor extends. */
  public static final String IGNORE_PATTERNS =
      "quarkus.micrometer.binder.http-server.ignore-patterns";

  /** Same as the default of {@link BotConfig.Webhook#path()}. */
  static final String DEFAULT_PATH = "/telegram/webhook";

  @Override
  public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
    ConfigValue value = context.proceed(name);
    if (!IGNORE_PATTERNS.equals(name)) {
      return value;
    }
    ConfigValue configured = context.proceed("bot.webhook.path");
    String path =
        configured == null || configured.getValue() == null || configured.getValue().isBlank()
            ? DEFAULT_PATH
            : configured.getValue().trim();
    // A list value: the converter reads a backslash as an escape and splits at commas.
    String pattern = Pattern.quote(path).replace("\\", "\\\\").replace(",", "\\,");
    if (value == null || value.getValue() == null || value.getValue().isBlank()) {
      ConfigValue base = value != null ? value : configured;
      return base == null
          ? ConfigValue.builder().withName(name).withValue(pattern).build()
          : base.withName(name).withValue(pattern);
    }
    return value.withValue(value.getValue() + "," + pattern);
  }
}
