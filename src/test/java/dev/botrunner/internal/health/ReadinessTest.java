package dev.botrunner.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botrunner.Bot;
import dev.botrunner.TelegramApiException;
import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.client.TelegramClient;
import dev.botrunner.internal.dispatch.Dispatcher;
import dev.botrunner.internal.dispatch.Draining;
import dev.botrunner.internal.polling.LongPoller;
import dev.botrunner.internal.polling.PollerState;
import dev.botrunner.internal.polling.PollingLifecycle;
import dev.botrunner.internal.webhook.WebhookRegistration;
import dev.botrunner.pg.TestPostgres;
import dev.botrunner.testkit.FakeBotApi;
import dev.botrunner.testkit.Updates;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Readiness and liveness as the probes compute them, on the real polling pipeline against the fake
 * Bot API (no Quarkus, so the shared test boot keeps its valid token): readiness is UP when the
 * token is accepted and the database answers, DOWN after Telegram answers 401 and while PostgreSQL
 * is stopped, UP again when it is back; liveness stays UP throughout.
 */
class ReadinessTest {

  /** How long a probe may take to change after the event that changes it. */
  private static final Duration WITHIN = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(20);

  /** A polling pipeline plus the health checks over it. */
  static final class Rig implements AutoCloseable {
    final FakeBotApi fake = FakeBotApi.start();
    final Vertx vertx = Vertx.vertx();
    final ExecutorService workers = Executors.newCachedThreadPool();
    final TelegramClient api =
        TelegramClient.builder(vertx, fake.baseUrl(), FakeBotApi.TOKEN)
            .timeout(Duration.ofSeconds(10))
            .build();
    final Dispatcher dispatcher =
        Dispatcher.builder(new Bot()).concurrency(4).api(api).workers(workers).build();
    final LongPoller poller =
        LongPoller.builder(api, dispatcher)
            .pollSeconds(1)
            .maxWaiting(100)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(200))
            .build();
    final PollerHealth health =
        new PollerHealth(
            config(BotConfig.Mode.POLLING),
            lifecycleOf(poller),
            new Draining(),
            instanceOf(dispatcher),
            new WebhookRegistration());
    final BotReadinessCheck ready = new BotReadinessCheck(health);
    final BotLivenessCheck live = new BotLivenessCheck(health);

    Rig start() {
      poller.start();
      return this;
    }

    @Override
    public void close() {
      poller.stop();
      dispatcher.close();
      api.close();
      workers.shutdownNow();
      vertx.closeAndAwait();
      fake.close();
    }
  }

  private static BotConfig config(BotConfig.Mode mode) {
    BotConfig.Polling polling =
        (BotConfig.Polling)
            Proxy.newProxyInstance(
                BotConfig.class.getClassLoader(),
                new Class<?>[] {BotConfig.Polling.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "timeout" -> 1;
                      case "maxBackoff" -> Duration.ofMillis(200);
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    return (BotConfig)
        Proxy.newProxyInstance(
            BotConfig.class.getClassLoader(),
            new Class<?>[] {BotConfig.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "mode" -> mode;
                  case "polling" -> polling;
                  case "apiTimeout" -> Duration.ofSeconds(10);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static PollingLifecycle lifecycleOf(LongPoller poller) {
    return new PollingLifecycle() {
      @Override
      public LongPoller poller() {
        return poller;
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <T> Instance<T> instanceOf(T bean) {
    return (Instance<T>)
        Proxy.newProxyInstance(
            Instance.class.getClassLoader(),
            new Class<?>[] {Instance.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "get" -> bean;
                  case "isResolvable" -> true;
                  case "isUnsatisfied", "isAmbiguous" -> false;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static boolean up(HealthCheckResponse response) {
    return response.getStatus() == HealthCheckResponse.Status.UP;
  }

  private static boolean up(DatabaseReadinessCheck check) {
    return up(check.call().await().atMost(Duration.ofSeconds(10)));
  }

  /** Waits up to {@link #WITHIN} for {@code condition}; fails naming {@code what} otherwise. */
  private static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what).atMost(WITHIN).pollInterval(POLL).until(condition::getAsBoolean);
  }

  @Test
  void readyUntilTheTokenIsRevokedLiveThroughout() throws Exception {
    try (Rig rig = new Rig().start()) {
      await(() -> up(rig.ready.call()), "ready after getMe");
      assertTrue(up(rig.live.call()));
      rig.fake.enqueue(Updates.text(1, 1, "hi"));
      await(() -> rig.dispatcher.doneCount() == 1, "the update ran");
      assertTrue(up(rig.ready.call()), "still ready while polling");

      rig.fake.revokeToken(); // the next getUpdates answers 401
      await(() -> !up(rig.ready.call()), "not ready after a 401");
      HealthCheckResponse ready = rig.ready.call();
      assertEquals("unauthorized", ready.getData().get().get("poller"));
      assertEquals(false, ready.getData().get().get("authorized"));
      assertFalse(ready.getData().get().toString().contains(FakeBotApi.TOKEN.substring(10)));
      assertTrue(up(rig.live.call()), "a revoked token is no reason to restart");
    }
  }

  @Test
  void notReadyWhenTheTokenIsRejectedAtStartup() throws Exception {
    try (Rig rig = new Rig()) {
      rig.fake.revokeToken();
      rig.start();
      await(() -> rig.poller.state() == PollerState.UNAUTHORIZED, "getMe answered 401");
      assertFalse(up(rig.ready.call()));
      assertTrue(up(rig.live.call()));
    }
  }

  @Test
  void webhookModeStartsWhenGetMeAnswersAndIsNotReadyWithARejectedToken() {
    WebhookRegistration accepted = new WebhookRegistration();
    WebhookRegistration rejected = new WebhookRegistration();
    PollerHealth ok = webhookHealth(accepted);
    PollerHealth revoked = webhookHealth(rejected);
    assertFalse(ok.started(), "nothing answered yet");
    assertTrue(ok.ready(), "a webhook endpoint takes posts before getMe answers");

    accepted.follow(Uni.createFrom().voidItem());
    rejected.follow(
        Uni.createFrom()
            .failure(new TelegramApiException("getMe", 401, "Unauthorized", null, null)));

    assertTrue(ok.started());
    assertTrue(ok.ready());
    assertTrue(revoked.started(), "Telegram's verdict is in: no restart would change it");
    assertFalse(revoked.ready());
    assertTrue(revoked.alive());
    assertTrue(rejected.tokenRejected());
  }

  private static PollerHealth webhookHealth(WebhookRegistration registration) {
    return new PollerHealth(
        config(BotConfig.Mode.WEBHOOK),
        lifecycleOf(null),
        new Draining(),
        instanceOf(null),
        registration);
  }

  @Test
  void memoryStoreNeedsNoDatabase() {
    assertTrue(up(new DatabaseReadinessCheck(() -> null, Duration.ofMillis(500))));
  }

  @Test
  void notReadyWhileTheDatabaseIsStoppedLiveThroughout() throws Exception {
    Assumptions.assumeFalse(TestPostgres.external(), "needs an embedded server it may stop");
    EmbeddedPostgres.Builder builder = TestPostgres.restartable("botrunner-pg-ready");
    EmbeddedPostgres pg = TestPostgres.start(builder);
    int port = pg.getPort();
    try (Rig rig = new Rig().start()) {
      Pool pool = TestPostgres.pool(rig.vertx, TestPostgres.optionsOf(port), 2);
      DatabaseReadinessCheck database =
          new DatabaseReadinessCheck(() -> pool, DatabaseReadinessCheck.TIMEOUT);
      await(() -> up(rig.ready.call()), "ready after getMe");
      assertTrue(up(database), "ready with the database up");

      TestPostgres.close(pg);
      long started = System.nanoTime();
      HealthCheckResponse down = database.call().await().atMost(Duration.ofSeconds(10));
      assertFalse(up(down), "not ready with the database stopped");
      assertTrue(
          System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "the ping is bounded");
      assertEquals("postgres", down.getData().get().get("store"));
      assertTrue(up(rig.live.call()), "a database outage is no reason to restart");
      assertTrue(up(rig.ready.call()), "the bot check itself is unaffected");

      pg = TestPostgres.start(builder);
      await(() -> up(database), "ready again once PostgreSQL is back");
      assertTrue(up(rig.live.call()));
      pool.closeAndAwait();
    } finally {
      TestPostgres.close(pg);
    }
  }

  @Test
  void detailsNeverCarryTheToken() throws Exception {
    try (Rig rig = new Rig().start()) {
      await(() -> up(rig.ready.call()), "ready");
      for (HealthCheckResponse response : List.of(rig.ready.call(), rig.live.call())) {
        assertFalse(String.valueOf(response.getData()).contains(FakeBotApi.TOKEN.substring(10)));
      }
    }
  }
}
