package dev.botrunner.it;

import dev.botrunner.testkit.FakeBotApiResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * A test profile that polls the test kit's fake Bot API; subclasses name their settings in {@link
 * #getConfigOverrides()} (each subclass is a Quarkus start of its own).
 */
public abstract class PollingAgainstFake implements QuarkusTestProfile {
  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(FakeBotApiResource.class));
  }
}
