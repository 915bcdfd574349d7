package dev.botrunner.example;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The demo bot's session: how many text messages the chat has sent. */
@RegisterForReflection
public class Counter {

  /** Messages counted so far. */
  public int count;
}
