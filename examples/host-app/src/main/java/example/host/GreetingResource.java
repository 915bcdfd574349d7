package example.host;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Sets the request-scoped {@link Caller} on the request's thread and reads it back on another
 * thread, after an asynchronous step as Quarkus REST applications write them. Quarkus propagates
 * the request context across each of these steps, so each answers {@code hello <name>}.
 */
@Path("/greet")
public class GreetingResource {

  private static final Logger LOG = Logger.getLogger(GreetingResource.class);

  private final Caller caller;
  private final ManagedExecutor executor;

  GreetingResource(Caller caller, ManagedExecutor executor) {
    this.caller = caller;
    this.executor = executor;
  }

  /**
   * @param name who calls
   * @return the greeting, composed on a thread of the worker pool
   */
  @GET
  @Path("/worker")
  public Uni<String> worker(@RestQuery String name) {
    caller.name(name);
    LOG.infof("greeting %s", name);
    return Uni.createFrom()
        .item("hello")
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(this::toCaller);
  }

  /**
   * @param name who calls
   * @return the greeting, composed after a delay
   */
  @GET
  @Path("/delay")
  public Uni<String> delay(@RestQuery String name) {
    caller.name(name);
    return Uni.createFrom()
        .item("hello")
        .onItem()
        .delayIt()
        .by(Duration.ofMillis(20))
        .map(this::toCaller);
  }

  /**
   * @param name who calls
   * @return the greeting, the caller read by a task of the managed executor
   */
  @GET
  @Path("/stage")
  public CompletionStage<String> stage(@RestQuery String name) {
    caller.name(name);
    return executor.supplyAsync(caller::name).thenApply(who -> "hello " + who);
  }

  private String toCaller(String greeting) {
    return greeting + " " + caller.name();
  }
}
