package dev.ebb.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The batcher's progress endpoint, as the operator reads it. */
class ProgressServerIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/progress"))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheLatestProgressOnlyOnceThereIsSomeAndOnlyToReads() throws Exception {
    try (ProgressServer server = ProgressServer.start(0)) {
      assertThat(get(server.port(), "GET").statusCode()).as("nothing reported yet").isEqualTo(503);

      server.report(new Progress("InProgress", 3, 0, 0, 0, 0, 0, null, Instant.EPOCH));
      server.report(new Progress("InProgress", 3, 1, 0, 10, 10, 0, null, Instant.EPOCH));

      HttpResponse<String> latest = get(server.port(), "GET");
      assertThat(latest.statusCode()).isEqualTo(200);
      assertThat(latest.body()).contains("\"objectsDone\":1").contains("\"objectsTotal\":3");
      assertThat(get(server.port(), "POST").statusCode()).isEqualTo(405);
    }
  }
}
