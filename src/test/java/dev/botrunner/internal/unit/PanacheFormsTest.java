package dev.botrunner.internal.unit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

/** The Panache form is found by name when Panache is on the class path (as in these tests). */
class PanacheFormsTest {

  @Test
  void findsThePanacheFormWhenPanacheIsPresent() {
    assertInstanceOf(PanacheUnit.class, PanacheForms.FORM);
  }
}
