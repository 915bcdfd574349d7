package dev.botrunner.session;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The session store bean: in memory unless another {@link SessionStore} bean is declared. */
@Singleton
public class SessionStoreProducer {

  @Produces
  @Singleton
  @DefaultBean
  SessionStore memoryStore() {
    return new MemorySessionStore();
  }
}
