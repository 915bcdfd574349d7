/**
 * Internal: the runtime's {@link dev.botrunner.BotContext}: an update's calls, held webhook reply
 * and event loop.
 */
package dev.botrunner.internal.context;
