/** Internal: startup validation of the settings, the bot id, the datasource and native hints. */
package dev.botrunner.internal.config;
