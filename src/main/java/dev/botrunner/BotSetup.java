package dev.botrunner;

/**
 * The bot's logic, as a CDI bean: botrunner calls {@link #configure} once at startup with the root
 * composer. Every bean implementing this interface is applied.
 */
public interface BotSetup {

  /**
   * @param bot the root composer: add middleware and an error handler to it
   */
  void configure(Bot bot);
}
