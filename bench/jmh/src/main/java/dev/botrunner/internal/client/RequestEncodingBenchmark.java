package dev.botrunner.internal.client;

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

/**
 * One sendMessage request body: through a JSON tree first (what the client does, since the tree
 * serves the throttle's and the migration's chat id) against straight to bytes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RequestEncodingBenchmark {

  final SendMessage method = new SendMessage("1042", "17: hello number 17");

  @Benchmark
  public byte[] treeThenBytes() throws Exception {
    return BotJson.MAPPER.writeValueAsBytes(BotJson.MAPPER.valueToTree(method));
  }

  @Benchmark
  public byte[] bytesOnly() throws Exception {
    return BotJson.MAPPER.writeValueAsBytes(method);
  }
}
