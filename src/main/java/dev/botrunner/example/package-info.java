/** The demo bot the service runs when the application has no bot of its own. */
package dev.botrunner.example;
