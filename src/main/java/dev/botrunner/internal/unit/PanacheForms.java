package dev.botrunner.internal.unit;

import java.lang.reflect.InvocationTargetException;

/** Finds the Panache form of a unit of work, if the application has Hibernate Reactive Panache. */
final class PanacheForms {

  /**
   * The implementation's name. Deliberately not a constant: with a constant name the native image
   * builder resolves {@code Class.forName} at build time and, linking at build time, would meet its
   * Panache types in an application without them. With Panache, botrunner's feature registers the
   * class for this lookup. Declared before {@link #FORM}, so it is set when {@link #load} runs.
   */
  @SuppressWarnings("FieldMayBeFinal")
  private static String implementation = "dev.botrunner.internal.unit.PanacheUnit";

  /** The Panache form, or null when the application has no Hibernate Reactive Panache. */
  static final PanacheForm FORM = load();

  private PanacheForms() {}

  private static PanacheForm load() {
    try {
      return (PanacheForm)
          Class.forName(implementation, true, PanacheForms.class.getClassLoader())
              .getDeclaredConstructor()
              .newInstance();
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException
        | LinkageError e) {
      // No Panache on the class path (its constructor fails to link), or not in this image.
      return null;
    }
  }
}
