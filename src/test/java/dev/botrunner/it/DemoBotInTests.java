package dev.botrunner.it;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import dev.botrunner.config.BotConfig;
import dev.botrunner.example.DemoBot;
import jakarta.inject.Singleton;

/**
 * The project's Quarkus tests declare probe setups of their own, which (as any application's setup
 * would) keep the default demo bean out; this bean puts the demo's routes back behind them, so the
 * tests still talk to the demo. Same switch as the demo: {@code bot.example.enabled}.
 */
@Singleton
public class DemoBotInTests implements BotSetup {

  private final BotConfig config;

  DemoBotInTests(BotConfig config) {
    this.config = config;
  }

  @Override
  public void configure(Bot bot) {
    if (config.example().enabled()) {
      DemoBot.install(bot);
    }
  }
}
