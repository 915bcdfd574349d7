/**
 * API: the {@code bot.*} settings ({@link dev.botrunner.config.BotConfig}), each also an
 * environment variable, and the startup error that names a wrong one.
 */
package dev.botrunner.config;
