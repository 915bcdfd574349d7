package example.orders;

import dev.botrunner.Bot;
import dev.botrunner.BotSetup;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/**
 * A shop bot: {@code /order <item>} stores an order (a Hibernate Reactive Panache entity) and
 * counts it in the chat's session; {@code /orders} lists the chat's orders.
 *
 * <p>{@code /order} runs in the update's unit of work ({@code ctx.transaction(..)}): the order, the
 * session's counter and the mark that the update was processed commit in one PostgreSQL
 * transaction, and the reply, made inside the unit, is sent only after that commit. A redelivered
 * update (after a crash) or a session conflict therefore never places an order twice, and no reply
 * announces an order that rolled back. Panache runs only on a Vert.x event loop, in a safe
 * duplicated context: both {@code ctx.transaction(..)} and {@code ctx.onEventLoop(..)} give it one,
 * of this update's own, whatever {@code BOT_MIDDLEWARE_THREAD} says.
 */
@Singleton
public class OrdersBot implements BotSetup {

  @Override
  public void configure(Bot bot) {
    bot.command(
        "order",
        (ctx, next) -> {
          String item = ctx.match().strip();
          if (item.isEmpty()) {
            ctx.reply("Usage: /order <item>");
            return Uni.createFrom().voidItem();
          }
          // The order, the session's counter, the processed mark and the reply commit together
          // (one transaction, at the update's end), or none of them does.
          return ctx.transaction(() -> ShopOrder.place(ctx.chatId(), item))
              .chain(
                  order ->
                      ctx.session()
                          .load(OrderStats.class, OrderStats::new)
                          .invoke(
                              stats -> {
                                stats.placed++;
                                ctx.reply(
                                    "Ordered "
                                        + order.item
                                        + " (order "
                                        + stats.placed
                                        + " in this chat)");
                              }))
              .replaceWithVoid();
        });
    bot.command(
        "orders",
        (ctx, next) ->
            ctx.onEventLoop(() -> Panache.withSession(() -> ShopOrder.ofChat(ctx.chatId())))
                .invoke(
                    orders ->
                        ctx.reply(
                            orders.isEmpty()
                                ? "No orders yet."
                                : orders.stream()
                                    .map(order -> order.item)
                                    .collect(Collectors.joining(", "))))
                .replaceWithVoid());
  }
}
