/**
 * Internal: the Bot API client behind {@link dev.botrunner.BotApi}: transport, retries, throttle,
 * JSON and multipart encoding, answer decoding.
 */
package dev.botrunner.internal.client;
