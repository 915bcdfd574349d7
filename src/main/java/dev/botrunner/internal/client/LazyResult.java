package dev.botrunner.internal.client;

import dev.botrunner.TelegramApiException;
import dev.botrunner.TelegramTransportException;
import java.util.function.Supplier;

/**
 * A successful Bot API answer whose result is decoded only when {@link #get()} is first called.
 * Most bots never read the {@code Message} that every {@code sendMessage} returns, and building it
 * was a tenth of the CPU per update (docs/benchmarks-history.md); {@code BotContext.reply}
 * therefore waits for the answer through this type and decodes only for a caller that asks.
 *
 * @param <T> the method's result type
 */
public final class LazyResult<T> {

  private Supplier<T> decoder;
  private T value;

  LazyResult(Supplier<T> decoder) {
    this.decoder = decoder;
  }

  /**
   * @param value an already decoded result
   * @param <T> its type
   * @return a result that needs no decoding
   */
  static <T> LazyResult<T> of(T value) {
    LazyResult<T> result = new LazyResult<>(null);
    result.value = value;
    return result;
  }

  /**
   * Decodes the result once; later calls return the same object.
   *
   * @return the result
   * @throws TelegramApiException or {@link TelegramTransportException} when the answer, which said
   *     {@code ok:true}, does not hold a result of the method's type; the same exceptions {@link
   *     TelegramClient#call} raises for such an answer
   */
  public synchronized T get() {
    if (decoder != null) {
      value = decoder.get();
      // The answer's bytes are no longer needed.
      decoder = null;
    }
    return value;
  }
}
