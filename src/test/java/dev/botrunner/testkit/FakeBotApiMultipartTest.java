package dev.botrunner.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake reads multipart bodies written by hand, independent of the client under test. */
class FakeBotApiMultipartTest {

  private final FakeBotApi fake = FakeBotApi.start();

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void fieldsAndFilePartsAreRecordedAndAnswered() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', '-', '-', 0};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String b = "XyZ";
    body.writeBytes(
        ("--"
                + b
                + "\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n7\r\n"
                + "--"
                + b
                + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nhé\r\n"
                + "--"
                + b
                + "\r\nContent-Disposition: form-data; name=\"photo\";"
                + " filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(png);
    body.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(fake.baseUrl() + "/bot" + FakeBotApi.TOKEN + "/sendPhoto"))
                    .header("Content-Type", "multipart/form-data; boundary=" + b)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(Json.parse(response.body()).path("result").path("photo").isArray());
    RecordedCall call = fake.calls("sendPhoto").get(0);
    assertEquals("7", call.param("chat_id"));
    assertEquals("hé", call.param("caption"));
    UploadedFile file = call.file("photo");
    assertEquals("a.png", file.filename());
    assertEquals("image/png", file.contentType());
    assertArrayEquals(png, file.bytes());
  }

  @Test
  void aMalformedBodyIsABadRequest() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(fake.baseUrl() + "/bot" + FakeBotApi.TOKEN + "/sendPhoto"))
                    .header("Content-Type", "multipart/form-data; boundary=abc")
                    .POST(HttpRequest.BodyPublishers.ofString("--abc\r\nno end"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(400, response.statusCode());
  }
}
