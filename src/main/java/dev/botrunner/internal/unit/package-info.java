/**
 * Internal: the unit of work of one update ({@code ctx.transaction(..)}): the bot's own writes, the
 * session write with its version check, the processed-update mark and the outbox of the Bot API
 * calls the update made, in one PostgreSQL transaction; the outbox sent after the commit, and the
 * recovery sweep that sends what a dead process left.
 */
package dev.botrunner.internal.unit;
