package dev.botrunner.internal.health;

import dev.botrunner.internal.store.Delivery;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the session database answers: {@code SELECT 1} through the reactive pool, failing
 * after a short timeout, so the probe never hangs on a dead server. Always UP with the memory
 * store. A database outage makes the pod unready (updates would fail) but never unalive (a restart
 * would not bring the database back).
 */
@Readiness
@Singleton
public class DatabaseReadinessCheck implements AsyncHealthCheck {

  /**
   * Longest wait for the ping; below the usual probe timeout of Kubernetes (1 s is the default).
   */
  static final Duration TIMEOUT = Duration.ofMillis(900);

  private final Supplier<Pool> pool;
  private final Duration timeout;

  @Inject
  DatabaseReadinessCheck(Instance<Delivery> delivery, Instance<Pool> pools) {
    this(() -> delivery.get().pending().durable() ? pools.get() : null, TIMEOUT);
  }

  /**
   * @param pool the pool to ping, or a supplier of null when sessions are not in PostgreSQL
   * @param timeout longest wait for the answer
   */
  public DatabaseReadinessCheck(Supplier<Pool> pool, Duration timeout) {
    this.pool = pool;
    this.timeout = timeout;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    Pool current = pool.get();
    if (current == null) {
      return Uni.createFrom()
          .item(HealthCheckResponse.named("database").withData("store", "memory").up().build());
    }
    return current
        .query("SELECT 1")
        .execute()
        .ifNoItem()
        .after(timeout)
        .failWith(() -> new IllegalStateException("no answer within " + timeout.toMillis() + " ms"))
        .map(
            rows ->
                HealthCheckResponse.named("database").withData("store", "postgres").up().build())
        .onFailure()
        .recoverWithItem(
            failure ->
                HealthCheckResponse.named("database")
                    .withData("store", "postgres")
                    .withData("error", String.valueOf(failure.getMessage()))
                    .down()
                    .build());
  }
}
