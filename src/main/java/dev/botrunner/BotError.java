package dev.botrunner;

/**
 * A failure while handling one update, as the error handler sees it (grammY's {@code BotError}).
 *
 * @param ctx the update's context
 * @param error what went wrong
 */
public record BotError(BotContext ctx, Throwable error) {}
