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
 * <p>Panache runs only on a Vert.x event loop, in a safe duplicated context: {@code
 * ctx.onEventLoop(..)} gives it one, of this update's own, whatever {@code BOT_MIDDLEWARE_THREAD}
 * says.
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
          return ctx.onEventLoop(
                  () -> Panache.withTransaction(() -> ShopOrder.place(ctx.chatId(), item)))
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
