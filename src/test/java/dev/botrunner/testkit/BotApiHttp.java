package dev.botrunner.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A bare Bot API client for the kit's own tests: plain JDK HTTP, no retries, no parsing magic. */
final class BotApiHttp {

  /** A response with its body read as JSON when it is JSON. */
  record Answer(int status, String body) {
    JsonNode json() {
      return Json.parse(body);
    }

    JsonNode result() {
      return json().get("result");
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String baseUrl;
  private final String token;

  BotApiHttp(FakeBotApi api) {
    this(api, FakeBotApi.TOKEN);
  }

  BotApiHttp(FakeBotApi api, String token) {
    this.baseUrl = api.baseUrl();
    this.token = token;
  }

  Answer post(String method, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(request(method, json), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  CompletableFuture<Answer> postAsync(String method, String json) {
    return client
        .sendAsync(request(method, json), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Answer(r.statusCode(), r.body()));
  }

  Answer get(String method, String query) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/" + method + "?" + query))
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  Answer form(String method, String form) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/" + method))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  private HttpRequest request(String method, String json) {
    // The timeout is a guard for hung tests; long polls in these tests last a few seconds at most.
    return HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/" + method))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }
}
