package dev.botrunner;

import java.util.Collection;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * Says which updates must not run at the same time: updates that share a key run one after another,
 * in arrival order; all others run in parallel. Replace the default (the session key: the chat,
 * else the user) by declaring a CDI bean of this type.
 */
@FunctionalInterface
public interface UpdateKeyFunction {

  /**
   * @param update an incoming update
   * @return its keys; empty when it may run in any order. An update with several keys (e.g. chat
   *     and user) waits until it is first in line for every one of them.
   */
  Collection<?> keys(Update update);
}
