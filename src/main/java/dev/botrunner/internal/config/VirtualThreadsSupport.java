package dev.botrunner.internal.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads for blocking code, from a library that targets Java 17: whether the runtime has
 * them (a JDK 21 or newer; a native executable reports the JDK it was built with, 25 for Quarkus
 * 3.37), and {@code Executors.newVirtualThreadPerTaskExecutor()} reached by reflection, since its
 * type is not in Java 17's API. The native image registers that one method
 * (META-INF/native-image/dev.botrunner/botrunner/reflect-config.json).
 *
 * <p>Why not Quarkus's virtual-thread executor (the one behind {@code @RunOnVirtualThread}): it
 * carries the caller's Vert.x context onto the new thread, and for an update started on an event
 * loop that context is shared by the other updates of the same poll or loop. ArC keeps the active
 * request context, and Quarkus's MDC its values, in such a context, so updates running at once
 * would see each other's {@code @RequestScoped} beans and log fields. A virtual thread of this
 * executor starts with no Vert.x context, as a thread of the platform pool does.
 */
public final class VirtualThreadsSupport {

  /** The first JDK in which virtual threads are a final feature. */
  public static final int FIRST_JDK = 21;

  /** The JDK 21 factory method, looked up by name. */
  static final String FACTORY = "newVirtualThreadPerTaskExecutor";

  private VirtualThreadsSupport() {}

  /**
   * @return the running JDK's feature version (17, 21, 25)
   */
  public static int jdk() {
    return Runtime.version().feature();
  }

  /**
   * @return whether blocking code can run on virtual threads here
   */
  public static boolean available() {
    return jdk() >= FIRST_JDK;
  }

  /**
   * @return an executor that starts a virtual thread for each task
   * @throws IllegalStateException where the runtime has no virtual threads
   */
  public static ExecutorService newVirtualThreadPerTaskExecutor() {
    try {
      Method factory = Executors.class.getMethod(FACTORY);
      return (ExecutorService) factory.invoke(null);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException("no virtual threads on JDK " + jdk(), e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot create virtual threads", e.getCause());
    }
  }
}
