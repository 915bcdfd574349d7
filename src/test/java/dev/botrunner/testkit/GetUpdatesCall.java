package dev.botrunner.testkit;

import java.util.List;

/**
 * A {@code getUpdates} request with its parameters already read, as a long-polling client test
 * usually wants them.
 *
 * @param call the raw recording
 * @param offset the {@code offset} sent, or {@code null} when the client sent none
 * @param limit the {@code limit} sent, or {@code null} when the client sent none (Telegram then
 *     uses 100)
 * @param timeout the long-poll {@code timeout} in seconds, or {@code null} when the client sent
 *     none (Telegram then answers at once)
 * @param allowedUpdates the {@code allowed_updates} sent, or {@code null} when absent; absent means
 *     "keep the previous setting" to Telegram, while an empty list means "every kind"
 */
public record GetUpdatesCall(
    RecordedCall call, Long offset, Integer limit, Integer timeout, List<String> allowedUpdates) {

  /**
   * Reads the getUpdates parameters out of a recorded call. Values the fake could not read are
   * reported as absent.
   *
   * @param call a recorded {@code getUpdates} call
   * @return the call with its parameters read
   */
  public static GetUpdatesCall of(RecordedCall call) {
    return new GetUpdatesCall(
        call,
        readLong(call, "offset"),
        toInt(readLong(call, "limit")),
        toInt(readLong(call, "timeout")),
        readList(call));
  }

  private static Long readLong(RecordedCall call, String name) {
    try {
      return RequestParams.longParam(call.params(), name);
    } catch (RequestParams.BadParameter e) {
      return null;
    }
  }

  private static List<String> readList(RecordedCall call) {
    try {
      return RequestParams.stringList(call.params(), "allowed_updates");
    } catch (RequestParams.BadParameter e) {
      return null;
    }
  }

  private static Integer toInt(Long value) {
    return value == null
        ? null
        : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }
}
