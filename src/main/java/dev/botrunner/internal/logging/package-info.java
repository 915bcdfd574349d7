/** Internal: what every layer logs through: token redaction, rate-limited warnings. */
package dev.botrunner.internal.logging;
