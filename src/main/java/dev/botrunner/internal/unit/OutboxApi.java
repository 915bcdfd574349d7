package dev.botrunner.internal.unit;

import dev.botrunner.BotApi;
import dev.botrunner.internal.client.StoredCall;
import io.smallrye.mutiny.Uni;
import java.io.Serializable;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.botapimethods.PartialBotApiMethod;

/**
 * {@code ctx.api()} while an update's unit of work is open: every JSON call goes into the unit's
 * outbox, to be sent after the commit, and its {@code Uni} yields {@code null} at once (the real
 * answer does not exist yet; waiting for it inside the unit would wait for the unit's own end).
 */
final class OutboxApi implements BotApi {

  private final UnitOfWork unit;

  OutboxApi(UnitOfWork unit) {
    this.unit = unit;
  }

  @Override
  public <T extends Serializable> Uni<T> call(BotApiMethod<T> method) {
    try {
      unit.queue(StoredCall.of(method));
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(e);
    }
    return Uni.createFrom().nullItem();
  }

  @Override
  public <T extends Serializable> Uni<T> upload(PartialBotApiMethod<T> method) {
    if (method instanceof BotApiMethod<T> json) {
      return call(json);
    }
    return Uni.createFrom()
        .failure(
            new IllegalStateException(
                "update "
                    + unit.updateId()
                    + ": files cannot go in a unit of work's outbox; upload them after the update"
                    + " (outside ctx.transaction) or by file_id"));
  }
}
