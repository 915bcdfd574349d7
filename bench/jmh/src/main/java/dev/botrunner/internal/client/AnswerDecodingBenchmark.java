package dev.botrunner.internal.client;

import io.vertx.mutiny.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * One sendMessage answer: decoded into a {@code Message} (what {@code call} does) against only
 * checked for {@code ok:true} (what {@code ctx.reply} does until someone reads the message). In
 * this package to reach the package-private decoders.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AnswerDecodingBenchmark {

  // The shape the fake Bot API (and Telegram) answers a private-chat sendMessage with.
  final Buffer body =
      Buffer.buffer(
          "{\"ok\":true,\"result\":{\"message_id\":4711,\"from\":{\"id\":123456789,\"is_bot\":true,"
              + "\"first_name\":\"Fake Bot\",\"username\":\"fake_bot\"},\"chat\":{\"id\":1042,"
              + "\"first_name\":\"Ann\",\"type\":\"private\"},\"date\":1700000000,"
              + "\"text\":\"17: hello number 17\"}}");
  final BotApiAnswers.Decoder<Message> full =
      BotApiAnswers.decoderOf(new SendMessage("1042", "x"));

  @Benchmark
  public Message decodeMessage() throws Exception {
    return full.decode(body);
  }

  @Benchmark
  public boolean checkOkOnly() {
    return BotApiAnswers.saysOk(body);
  }
}
