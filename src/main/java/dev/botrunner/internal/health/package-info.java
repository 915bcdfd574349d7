/** Internal: liveness, readiness and startup checks. */
package dev.botrunner.internal.health;
