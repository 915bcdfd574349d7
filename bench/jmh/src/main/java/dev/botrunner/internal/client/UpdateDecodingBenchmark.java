package dev.botrunner.internal.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vertx.mutiny.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.ApiResponse;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Decoding a full getUpdates answer (100 text messages): the client's decoder (from the answer's
 * bytes, since round 2), telegrambots-meta's own deserializeResponse (what the client used before)
 * and one pass of our mapper from a String. In this package to reach the package-private decoder.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class UpdateDecodingBenchmark {

  private static final TypeReference<ApiResponse<List<Update>>> ANSWER = new TypeReference<>() {};

  String body;
  Buffer bytes;
  final GetUpdates method = new GetUpdates();
  final BotApiAnswers.Decoder<ArrayList<Update>> client = BotApiAnswers.decoderOf(method);

  @Setup
  public void setUp() {
    StringBuilder json = new StringBuilder("{\"ok\":true,\"result\":[");
    for (int i = 0; i < 100; i++) {
      if (i > 0) {
        json.append(',');
      }
      long chat = 1000 + i;
      json.append("{\"update_id\":")
          .append(500_000 + i)
          .append(",\"message\":{\"message_id\":")
          .append(i + 1)
          .append(",\"from\":{\"id\":")
          .append(chat)
          .append(",\"is_bot\":false,\"first_name\":\"Ann\",\"language_code\":\"en\"},")
          .append("\"chat\":{\"id\":")
          .append(chat)
          .append(",\"first_name\":\"Ann\",\"type\":\"private\"},\"date\":1700000000,")
          .append("\"text\":\"hello number ")
          .append(i)
          .append("\"}}");
    }
    body = json.append("]}").toString();
    bytes = Buffer.buffer(body);
  }

  @Benchmark
  public Object clientDecoder() throws Exception {
    return client.decode(bytes);
  }

  @Benchmark
  public Object telegrambotsDeserializeResponse() throws Exception {
    return method.deserializeResponse(body);
  }

  @Benchmark
  public Object botJsonTypeReference() throws Exception {
    return BotJson.MAPPER.readValue(body, ANSWER).getResult();
  }
}
