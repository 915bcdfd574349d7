package dev.botrunner;

import java.util.Optional;

/**
 * Where a middleware was added, as {@code Class.method(File.java:line)} of the first caller outside
 * the composer: a name for the lambdas that make up a bot, used in the runtime's messages about a
 * middleware (a blocked event loop, a second {@code next}). Taken once per registration, at setup.
 */
final class RegistrationSite {

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private RegistrationSite() {}

  /**
   * @return the caller's frame, or {@code "unknown"} when the stack has none outside composers
   */
  static String ofCaller() {
    Optional<StackWalker.StackFrame> frame =
        WALKER.walk(
            frames ->
                frames
                    .filter(f -> !Composer.class.isAssignableFrom(f.getDeclaringClass()))
                    .filter(f -> f.getDeclaringClass() != RegistrationSite.class)
                    .findFirst());
    return frame.map(RegistrationSite::describe).orElse("unknown");
  }

  private static String describe(StackWalker.StackFrame frame) {
    String file = frame.getFileName();
    return frame.getClassName()
        + "."
        + frame.getMethodName()
        + "("
        + (file == null ? "?" : file)
        + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "")
        + ")";
  }
}
