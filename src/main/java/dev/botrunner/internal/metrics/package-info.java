/** Internal: Micrometer meters of updates, the scheduler, sessions, the Bot API and polling. */
package dev.botrunner.internal.metrics;
