/**
 * Internal: the keyed-serial scheduler (in order per key, concurrent across keys, a waiting update
 * holds no slot) and the processing of one update: middleware, session commit, retries, outcome.
 */
package dev.botrunner.internal.dispatch;
