package dev.botrunner.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes one HTTP exchange: record, check the token, apply latency and scripts, then answer. */
final class ApiHandler implements HttpHandler {

  private static final Pattern PATH = Pattern.compile("^/bot([^/]+)/([A-Za-z0-9_]+)/?$");

  private final FakeBotApi api;
  private final Recorder recorder;
  private final ScriptBook scripts;
  private final BotMethods methods;

  ApiHandler(FakeBotApi api, Recorder recorder, ScriptBook scripts, BotMethods methods) {
    this.api = api;
    this.recorder = recorder;
    this.scripts = scripts;
    this.methods = methods;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long arrival = System.nanoTime();
    try {
      String path = exchange.getRequestURI().getRawPath();
      Matcher m = PATH.matcher(path);
      if (!m.matches()) {
        exchange.getRequestBody().readAllBytes();
        send(exchange, Reply.error(404, "Not Found"));
        return;
      }
      String method = m.group(2);
      RequestParams.Parsed parsed = RequestParams.read(exchange);
      RecordedCall call =
          recorder.record(
              method,
              exchange.getRequestMethod(),
              path,
              parsed.params(),
              parsed.rawBody(),
              arrival,
              parsed.files());
      if (!api.acceptsToken(m.group(1))) {
        send(exchange, Reply.unauthorized());
        return;
      }
      pause(scripts.latency(method));
      ScriptedResponse.Taken scripted = scripts.next(method);
      if (scripted != null) {
        pause(scripted.delay());
        switch (scripted.kind()) {
          case DROP -> {
            // Closing before any header is sent makes the JDK server drop the TCP connection.
            exchange.close();
            return;
          }
          case REPLY -> {
            send(exchange, scripted.reply());
            return;
          }
          case NORMAL -> {}
        }
      }
      if (parsed.error() != null) {
        send(exchange, Reply.badRequest(parsed.error()));
        return;
      }
      send(exchange, methods.answer(call));
      recorder.answered(call, System.nanoTime());
    } catch (InterruptedException e) {
      // Only happens when the fake is closing; the client may see a dropped connection.
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (RuntimeException e) {
      send(exchange, Reply.error(500, "Internal Server Error: fake failed: " + e));
    }
  }

  /** A scripted delay or latency: time itself, the network and server time being simulated. */
  private static void pause(Duration delay) throws InterruptedException {
    if (!delay.isZero() && !delay.isNegative()) {
      Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
    }
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), reply.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }
}
