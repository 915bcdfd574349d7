package dev.botrunner.bench.rest;

import dev.botrunner.internal.webhook.WebhookResource;
import dev.botrunner.internal.webhook.WebhookResource.Result;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * A leaner REST variant, to see what the request filter costs: no filter, the secret is checked in
 * the method, that is after Quarkus REST has read the body (up to {@code
 * quarkus.http.limits.max-body-size}), which the shipped endpoint must not do for an
 * unauthenticated post. For a valid update it does the same work as {@link RestWebhook}.
 */
@Path("/rest/telegram/webhook-lean")
public class RestWebhookLean {

  private final RestWebhook webhook;
  private final RestWebhookChecks checks;

  RestWebhookLean(RestWebhook webhook, RestWebhookChecks checks) {
    this.webhook = webhook;
    this.checks = checks;
  }

  /**
   * Takes one update.
   *
   * @param token the secret header
   * @param body the post's body, read by Quarkus REST
   * @return the answer, when the update is done or at the deadline
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public CompletionStage<Response> receive(
      @RestHeader(WebhookResource.SECRET_HEADER) String token, byte[] body) {
    if (!checks.secretMatches(token)) {
      checks.record(Result.UNAUTHORIZED);
      return CompletableFuture.completedFuture(Response.status(401).build());
    }
    return webhook.take(body);
  }
}
