package dev.botrunner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.botrunner.internal.client.BotJson;
import dev.botrunner.testkit.Updates;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.Update;

/** The one list of update kinds names fields Telegram's {@code Update} really has. */
class UpdateKindTest {

  @Test
  void everyKindIsAFieldOfTheUpdate() {
    Set<String> fields =
        BotJson.MAPPER
            .getSerializationConfig()
            .introspect(BotJson.MAPPER.constructType(Update.class))
            .findProperties()
            .stream()
            .map(BeanPropertyDefinition::getName)
            .collect(Collectors.toSet());
    for (UpdateKind kind : UpdateKind.values()) {
      assertTrue(fields.contains(kind.fieldName()), kind + " is not a field: " + fields);
    }
  }

  @Test
  void anUpdateHasTheKindOfItsField() {
    assertEquals(UpdateKind.MESSAGE, UpdateKind.kindOf(Updates.text(1, 1, "x")));
    assertEquals(UpdateKind.CALLBACK_QUERY, UpdateKind.kindOf(Updates.callbackQuery(1, 1, "data")));
    assertNull(UpdateKind.kindOf(new Update()), "no field set: a kind this version does not know");
  }
}
