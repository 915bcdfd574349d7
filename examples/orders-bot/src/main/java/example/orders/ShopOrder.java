package example.orders;

import io.quarkus.hibernate.reactive.panache.PanacheEntity;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** An order placed from a chat: the bot's own domain data, in its own table. */
@Entity
@Table(name = "shop_order")
public class ShopOrder extends PanacheEntity {

  /** The chat that placed it. */
  public long chatId;

  /** What was ordered. */
  public String item;

  /** When it was placed. */
  public Instant placedAt;

  /**
   * @param chatId the chat placing the order
   * @param item what it orders
   * @return the stored order; call inside a transaction
   */
  public static Uni<ShopOrder> place(long chatId, String item) {
    ShopOrder order = new ShopOrder();
    order.chatId = chatId;
    order.item = item;
    order.placedAt = Instant.now();
    return order.persist();
  }

  /**
   * @param chatId a chat
   * @return its orders, oldest first
   */
  public static Uni<List<ShopOrder>> ofChat(long chatId) {
    return list("chatId = ?1 order by id", chatId);
  }
}
