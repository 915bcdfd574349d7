package dev.botrunner.internal.config;

import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Whether Quarkus's reactive datasource is configured, which {@code BOT_SESSION_STORE=auto} uses.
 */
public final class DatasourceUrl {

  /** The Quarkus property (environment variable {@code QUARKUS_DATASOURCE_REACTIVE_URL}). */
  public static final String PROPERTY = "quarkus.datasource.reactive.url";

  private DatasourceUrl() {}

  /**
   * @return true when a non-blank reactive datasource URL is set
   */
  public static boolean configured() {
    Optional<String> url = ConfigProvider.getConfig().getOptionalValue(PROPERTY, String.class);
    return url.filter(u -> !u.isBlank()).isPresent();
  }
}
