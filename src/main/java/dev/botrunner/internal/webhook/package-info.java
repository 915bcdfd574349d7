/** Internal: the webhook route, its registration with Telegram, deadline leases and drain. */
package dev.botrunner.internal.webhook;
