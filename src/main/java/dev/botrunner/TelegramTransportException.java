package dev.botrunner;

/**
 * A Bot API call got no usable answer: connection refused or reset, timeout, or a body that is not
 * a Bot API response. The message is redacted: the original exception (whose text may hold the
 * token-bearing URL) is not kept as the cause; its class name and redacted text are.
 */
public final class TelegramTransportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String method;

  /**
   * @param method the Bot API method name
   * @param detail a description of the failure that holds no secret
   */
  public TelegramTransportException(String method, String detail) {
    super(method + " got no answer from the Bot API: " + detail);
    this.method = method;
  }

  /**
   * @return the Bot API method that failed
   */
  public String method() {
    return method;
  }
}
