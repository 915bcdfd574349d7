package dev.botrunner.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.RecordedCall;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The connection pool split over shards: sizes add up, a light load stays on the first shard, and a
 * heavy one reaches every connection.
 */
class BotApiTransportTest {

  @Test
  void smallPoolsStayOneClient() {
    assertEquals(1, BotApiTransport.shardsFor(1));
    assertEquals(1, BotApiTransport.shardsFor(BotApiTransport.CONNECTIONS_PER_SHARD));
    assertEquals(2, BotApiTransport.shardsFor(BotApiTransport.CONNECTIONS_PER_SHARD + 1));
  }

  @Test
  void shardsAddUpToThePoolAndStaySmall() {
    for (int max : new int[] {1, 8, 31, 32, 33, 502, 1002, 4321}) {
      int shards = BotApiTransport.shardsFor(max);
      int sum = 0;
      for (int i = 0; i < shards; i++) {
        int size = BotApiTransport.connectionsOfShard(max, shards, i);
        assertTrue(size >= 1 && size <= BotApiTransport.CONNECTIONS_PER_SHARD, max + ": " + size);
        sum += size;
      }
      assertEquals(max, sum, "connections of " + max);
    }
  }

  @Test
  void aLightLoadStaysOnTheFirstShardAndGivesItsPlacesBack() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.latency("sendMessage", Duration.ofMillis(300));
      int connections = 3 * BotApiTransport.CONNECTIONS_PER_SHARD;
      BotApiTransport transport =
          new BotApiTransport(vertx, URI.create(fake.baseUrl()), FakeBotApi.TOKEN, connections);
      try {
        int light = BotApiTransport.CONNECTIONS_PER_SHARD / 2;
        List<CompletableFuture<BotApiTransport.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < light; i++) {
          calls.add(transport.postNow("sendMessage", message(i), Duration.ofSeconds(10)));
        }
        assertEquals(light, transport.inFlight(0));
        assertEquals(0, transport.inFlight(1));
        assertEquals(0, transport.inFlight(2));
        for (CompletableFuture<BotApiTransport.Answer> call : calls) {
          assertEquals(200, call.get(30, TimeUnit.SECONDS).status());
        }
        assertEquals(0, transport.inFlight(0), "places given back");
      } finally {
        transport.close();
      }
    } finally {
      vertx.closeAndAwait();
    }
  }

  @Test
  void concurrentCallsOverManyShardsAllAnswerOnTheirOwnConnections() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (FakeBotApi fake = FakeBotApi.start()) {
      fake.latency("sendMessage", Duration.ofMillis(500));
      int connections = 3 * BotApiTransport.CONNECTIONS_PER_SHARD + 5;
      BotApiTransport transport =
          new BotApiTransport(vertx, URI.create(fake.baseUrl()), FakeBotApi.TOKEN, connections);
      try {
        List<CompletableFuture<BotApiTransport.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 2 * connections; i++) {
          calls.add(transport.postNow("sendMessage", message(i), Duration.ofSeconds(10)));
        }
        Set<Integer> statuses = new HashSet<>();
        for (CompletableFuture<BotApiTransport.Answer> call : calls) {
          statuses.add(call.get(30, TimeUnit.SECONDS).status());
        }
        assertEquals(Set.of(200), statuses);
        assertEquals(2 * connections, fake.sentMessages().size());
        for (int shard = 0; shard < BotApiTransport.shardsFor(connections); shard++) {
          assertEquals(0, transport.inFlight(shard), "shard " + shard + " gave its places back");
        }
        // Every shard's connections were in use at once: far more calls overlapped at the fake
        // than one shard holds. (No upper bound here: the fake times an answer after writing it,
        // so the next call on that connection may already have arrived.)
        int overlap = mostAtOnce(fake);
        assertTrue(
            overlap > 2 * BotApiTransport.CONNECTIONS_PER_SHARD,
            "calls at the fake at once: " + overlap);
      } finally {
        transport.close();
      }
    } finally {
      vertx.closeAndAwait();
    }
  }

  private static byte[] message(int chat) {
    return ("{\"chat_id\":" + chat + ",\"text\":\"x\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** The most sendMessage calls the fake held between arrival and answer at one time. */
  private static int mostAtOnce(FakeBotApi fake) {
    List<long[]> edges = new ArrayList<>();
    for (RecordedCall call : fake.calls("sendMessage")) {
      edges.add(new long[] {call.arrivalNanos(), 1});
      edges.add(new long[] {fake.answeredNanos(call), -1});
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int most = 0;
    for (long[] edge : edges) {
      now += (int) edge[1];
      most = Math.max(most, now);
    }
    return most;
  }
}
