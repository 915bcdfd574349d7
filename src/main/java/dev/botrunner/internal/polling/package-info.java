/** Internal: the long-polling loop: fetch, offset window, spill, standby, drain. */
package dev.botrunner.internal.polling;
