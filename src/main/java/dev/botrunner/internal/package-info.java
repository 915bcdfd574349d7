/**
 * Internal: the runtime beneath the API. Its types are public only so that its packages can use
 * each other; bot code must not use them, and they change without notice.
 */
package dev.botrunner.internal;
