/**
 * Internal: where state lives: sessions with optimistic versions, processed-update dedupe, the
 * updates confirmed to Telegram before they finished, and the poller lock; in PostgreSQL, or in
 * memory. Other packages reach the choice through {@link dev.botrunner.internal.store.SessionStore}
 * and {@link dev.botrunner.internal.store.Delivery}.
 */
package dev.botrunner.internal.store;
