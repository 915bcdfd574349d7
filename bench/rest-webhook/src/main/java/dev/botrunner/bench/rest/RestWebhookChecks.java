package dev.botrunner.bench.rest;

import dev.botrunner.config.BotConfig;
import dev.botrunner.internal.webhook.WebhookResource;
import dev.botrunner.internal.webhook.WebhookResource.Result;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The header checks of the REST webhook, as a request filter bound to it: Quarkus REST runs request
 * filters before it reads the body, so like the raw route no byte of the body is read for a post
 * with a wrong secret or a too large Content-Length. Method (405) and content type (415) are
 * checked by JAX-RS itself ({@code @POST}, {@code @Consumes}) while it matches the resource, that
 * is before this filter (the raw route checks the secret before the content type). Also holds the
 * counters per {@link Result}, like the raw route's.
 */
@Singleton
public class RestWebhookChecks {

  private final Map<Result, LongAdder> counters = new EnumMap<>(Result.class);
  private byte[] secret;
  long maxBody;

  /** Creates the counters. */
  public RestWebhookChecks() {
    for (Result result : Result.values()) {
      counters.put(result, new LongAdder());
    }
  }

  /**
   * Reads the settings. Not in the constructor: Quarkus REST creates its filters at static init,
   * before run-time configuration such as {@link BotConfig} exists.
   */
  void init(@Observes StartupEvent event, BotConfig config) {
    this.secret =
        config.webhook().secret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    this.maxBody = config.webhook().maxBody().asLongValue();
  }

  /**
   * @return the answer that ends the request, or null to go on to the resource
   */
  @ServerRequestFilter
  @WebhookChecks
  public Response checkHeaders(ContainerRequestContext request) {
    if (!secretMatches(request.getHeaderString(WebhookResource.SECRET_HEADER))) {
      record(Result.UNAUTHORIZED);
      return Response.status(401).build();
    }
    if (request.getLength() > maxBody) {
      record(Result.TOO_LARGE);
      return Response.status(413).build();
    }
    return null;
  }

  boolean secretMatches(String header) {
    if (secret == null) {
      return true;
    }
    if (header == null) {
      return false;
    }
    // Constant time for equal lengths, as in the raw route (MessageDigest.isEqual).
    return MessageDigest.isEqual(secret, header.getBytes(StandardCharsets.UTF_8));
  }

  void record(Result result) {
    counters.get(result).increment();
  }

  /**
   * @return how many requests got this answer since startup
   */
  public long count(Result result) {
    return counters.get(result).sum();
  }
}
