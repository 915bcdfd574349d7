package dev.botrunner.internal.config;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Whether this runtime can run blocking code on virtual threads: a JDK 21 or newer (a native
 * executable reports the JDK it was built with, 25 for Quarkus 3.37) and Quarkus's virtual-thread
 * executor left on ({@code quarkus.virtual-threads.enabled}, true by default). botrunner targets
 * Java 17, so it reaches virtual threads only through Quarkus's executor, which creates them
 * without JDK 21 types in its signatures and falls back to the worker pool where there are none.
 */
public final class VirtualThreadsSupport {

  /** The first JDK in which virtual threads are a final feature. */
  public static final int FIRST_JDK = 21;

  /** Quarkus's switch of its virtual-thread executor. */
  public static final String QUARKUS_ENABLED = "quarkus.virtual-threads.enabled";

  private VirtualThreadsSupport() {}

  /**
   * @return the running JDK's feature version (17, 21, 25)
   */
  public static int jdk() {
    return Runtime.version().feature();
  }

  /**
   * @return whether Quarkus's virtual-thread executor is on ({@value #QUARKUS_ENABLED})
   */
  public static boolean quarkusEnabled() {
    return ConfigProvider.getConfig()
        .getOptionalValue(QUARKUS_ENABLED, Boolean.class)
        .orElse(Boolean.TRUE);
  }

  /**
   * @return whether blocking code can run on virtual threads here
   */
  public static boolean available() {
    return jdk() >= FIRST_JDK && quarkusEnabled();
  }
}
