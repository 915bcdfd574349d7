package dev.botrunner.testkit;

import java.time.Duration;

/**
 * One queued answer of a {@link Script}: what to do, after how long, and how many more times.
 * Mutated only under the {@link ScriptBook}'s lock.
 */
final class ScriptedResponse {

  enum Kind {
    /** Send {@link #reply}. */
    REPLY,
    /** Close the TCP connection without an HTTP answer. */
    DROP,
    /** Answer as the fake normally would; exists so a delay can be put on a plain answer. */
    NORMAL
  }

  final Kind kind;
  final Reply reply;
  int total = 1;
  int used;
  Duration delay = Duration.ZERO;

  private ScriptedResponse(Kind kind, Reply reply) {
    this.kind = kind;
    this.reply = reply;
  }

  static ScriptedResponse reply(Reply reply) {
    return new ScriptedResponse(Kind.REPLY, reply);
  }

  static ScriptedResponse drop() {
    return new ScriptedResponse(Kind.DROP, null);
  }

  static ScriptedResponse normal() {
    return new ScriptedResponse(Kind.NORMAL, null);
  }

  /** What a request takes away from the queue; a snapshot so later edits do not race with it. */
  record Taken(Kind kind, Reply reply, Duration delay) {}
}
