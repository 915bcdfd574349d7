package dev.botrunner.config;

import java.util.List;

/** Startup failure that lists what to change in the environment; holds no secret values. */
public final class InvalidBotConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param problems one sentence per setting to fix
   */
  public InvalidBotConfigException(List<String> problems) {
    super(
        "botrunner cannot start, fix the configuration:\n  - " + String.join("\n  - ", problems),
        null,
        false,
        false);
  }
}
