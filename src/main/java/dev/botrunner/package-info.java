/**
 * API: what a bot author imports. Write the bot as a {@link dev.botrunner.BotSetup} bean that
 * configures the {@link dev.botrunner.Bot} (a {@link dev.botrunner.Composer}: {@code use}, {@code
 * filter}, {@code on}, {@code command}, {@code hears}, {@code callbackQuery}, {@code
 * errorBoundary}); each update reaches its {@link dev.botrunner.Middleware} or {@link
 * dev.botrunner.Handler} as a {@link dev.botrunner.BotContext}, with the {@link
 * dev.botrunner.BotApi}, the chat's {@link dev.botrunner.Session} and the failures a handler may
 * see ({@link dev.botrunner.TelegramApiException}, {@link dev.botrunner.SessionConflictException}).
 * Replace the ordering key with an {@link dev.botrunner.UpdateKeyFunction} bean. Nothing here
 * depends on {@code dev.botrunner.internal}.
 */
package dev.botrunner;
